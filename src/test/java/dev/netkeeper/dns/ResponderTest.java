package dev.netkeeper.dns;

import dev.netkeeper.api.Audit;
import dev.netkeeper.namespace.NamespaceEvent;
import dev.netkeeper.network.AddressPool;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.NetworkConfig;
import dev.netkeeper.network.NetworkEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** What a network's resolver answers, from a NameBook fed the events the entities journal. */
class ResponderTest {
    static final Audit AUDIT = new Audit(null, 0L, "test");
    NameBook book;
    Responder responder;

    @BeforeEach
    void book() {
        book = new NameBook();
        responder = new Responder(book, 5);
        create("web", "10.60.0.0/24", "10.60.0.1", "fd60::/64", "fd60::1", false, false);
        create("db", "10.61.0.0/24", "10.61.0.1", null, null, false, false);
        create("quiet", "10.62.0.0/24", "10.62.0.1", null, null, false, true);
        create("inner", "10.63.0.0/24", "10.63.0.1", null, null, true, false);
        link("web", "api", "10.60.0.2/24", "fd60::2/64", "h1:/var/run/netns/api");
        link("web", "cni:abc:eth0", "10.60.0.3/24", null, "h1:/var/run/netns/other", "sharp_tesla", "frontend");
        link("db", "pg", "10.61.0.2/24", null, "h1:/var/run/netns/pg");
        link("db", "api", "10.61.0.3/24", null, "h1:/var/run/netns/api"); // api is on both networks
        link("inner", "solo", "10.63.0.2/24", null, "h1:/var/run/netns/solo");
        book.namespace("h1", "/var/run/netns/api", "h1:/var/run/netns/api", new NamespaceEvent.NamespaceCreated("h1",
                "/var/run/netns/api", AUDIT));
        book.namespace("h1", "/var/run/netns/pg", "h1:/var/run/netns/pg", new NamespaceEvent.NamespaceUsed("h1",
                "/var/run/netns/pg", "id", AUDIT));
    }

    void create(String name, String subnet, String gw, String subnet6, String gw6, boolean internal, boolean noDns) {
        book.network(name, new NetworkEvent.NetworkCreated(new NetworkConfig(name, "bridge",
                new AddressPool(subnet, gw, null, List.of()), subnet6 == null ? null : new AddressPool(subnet6, gw6, null, List.of()),
                1500, internal, "eth", Map.of(), false, noDns), "h1", AUDIT));
    }

    void link(String network, String endpoint, String v4, String v6, String namespace, String... aliases) {
        book.network(network, new NetworkEvent.EndpointAllocated(new Endpoint(endpoint, "vh", "vc", "02:00:00:00:00:01",
                v4, v6, namespace, "h1", 0, "eth0").withAliases(List.of(aliases)), AUDIT));
    }

    Responder.Outcome ask(String gateway, String source, String name, int type) throws Exception {
        NetworkNames own = book.atGateway(InetAddress.getByName(gateway));
        assertNotNull(own, "a resolver at " + gateway);
        return responder.respond(dev.netkeeper.testing.DnsProbe.query(name, type).toWire(), own,
                InetAddress.getByName(source));
    }

    Message answer(String gateway, String source, String name, int type) throws Exception {
        Responder.Outcome o = ask(gateway, source, name, type);
        assertInstanceOf(Responder.Answer.class, o, name + " is answered here");
        return new Message(((Responder.Answer) o).message().toWire());
    }

    static List<String> data(Message m) {
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }

    @Test
    void namesOfTheNetworkAnswerAAndAaaaAndTheQualifiedName() throws Exception {
        assertEquals(List.of("10.60.0.2"), data(answer("10.60.0.1", "10.60.0.9", "API", Type.A)), "any case");
        assertEquals(List.of("10.60.0.2"), data(answer("10.60.0.1", "10.60.0.9", "api.web", Type.A)));
        assertEquals(List.of("fd60:0:0:0:0:0:0:2"), data(answer("fd60::1", "fd60::9", "api", Type.AAAA)));
        Message nodata = answer("10.61.0.1", "10.61.0.2", "pg", Type.AAAA);
        assertEquals(Rcode.NOERROR, nodata.getRcode());
        assertEquals(List.of(), data(nodata), "a name without an IPv6 address: NODATA");
    }

    @Test
    void aliasesAreNamesTooAndNameAnEndpointWhoseOwnNameIsNone() throws Exception {
        assertEquals(List.of("10.60.0.3"), data(answer("10.60.0.1", "10.60.0.9", "frontend", Type.A)));
        assertEquals(List.of("10.60.0.3"), data(answer("10.60.0.1", "10.60.0.9", "sharp_tesla.web", Type.A)));
        assertEquals(List.of("sharp_tesla."), data(answer("10.60.0.1", "10.60.0.9",
                ReverseMap.fromAddress("10.60.0.3").toString(), Type.PTR)), "the first alias of a CNI endpoint");
    }

    @Test
    void aContainerOnTwoNetworksResolvesTheNamesOfBoth() throws Exception {
        assertEquals(List.of("10.61.0.2"), data(answer("10.60.0.1", "10.60.0.2", "pg", Type.A)), "api asks web's resolver");
        assertEquals(Rcode.NXDOMAIN, answer("10.60.0.1", "10.60.0.9", "pg", Type.A).getRcode(), "another web client does not");
        assertEquals(List.of("10.60.0.2"), data(answer("10.60.0.1", "10.60.0.2", "api", Type.A)), "its own network first");
    }

    @Test
    void reverseNamesOfTheSubnetsAreAnsweredHere() throws Exception {
        assertEquals(List.of("api."), data(answer("10.60.0.1", "10.60.0.9",
                ReverseMap.fromAddress("10.60.0.2").toString(), Type.PTR)));
        assertEquals(List.of("api."), data(answer("fd60::1", "fd60::9", ReverseMap.fromAddress("fd60::2").toString(), Type.PTR)));
        assertEquals(Rcode.NXDOMAIN, answer("10.60.0.1", "10.60.0.9", ReverseMap.fromAddress("10.60.0.77").toString(),
                Type.PTR).getRcode(), "an address of the subnet nobody holds");
        assertInstanceOf(Responder.Forward.class, ask("10.60.0.1", "10.60.0.9",
                ReverseMap.fromAddress("192.0.2.1").toString(), Type.PTR), "another address: upstream");
    }

    @Test
    void unknownSingleLabelNamesStayHereOthersGoUpstreamExceptFromAnInternalNetwork() throws Exception {
        assertEquals(Rcode.NXDOMAIN, answer("10.60.0.1", "10.60.0.9", "nobody", Type.A).getRcode());
        assertEquals(Rcode.NXDOMAIN, answer("10.60.0.1", "10.60.0.9", "nobody.web", Type.A).getRcode());
        assertInstanceOf(Responder.Forward.class, ask("10.60.0.1", "10.60.0.9", "example.org", Type.A));
        assertEquals(Rcode.REFUSED, answer("10.63.0.1", "10.63.0.2", "example.org", Type.A).getRcode());
        assertEquals(List.of("10.63.0.2"), data(answer("10.63.0.1", "10.63.0.5", "solo", Type.A)), "names work there");
    }

    @Test
    void aClientOutsideTheNetworkIsRefusedAndANetworkWithoutResolverHasNone() throws Exception {
        assertEquals(Rcode.REFUSED, answer("10.60.0.1", "10.61.0.2", "api", Type.A).getRcode());
        assertNull(book.atGateway(InetAddress.getByName("10.62.0.1")), "disableDns: no resolver");
        assertFalse(book.listeners("h1").containsKey("quiet"));
        assertEquals(List.of("db", "inner", "web"), List.copyOf(book.listeners("h1").keySet()));
        assertTrue(book.listeners("h2").isEmpty(), "no bridge of these networks on h2");
    }

    @Test
    void garbageIsFormerrOrDroppedAndAnotherOpcodeNotImp() throws Exception {
        NetworkNames own = book.atGateway(InetAddress.getByName("10.60.0.1"));
        InetAddress client = InetAddress.getByName("10.60.0.9");
        assertInstanceOf(Responder.Drop.class, responder.respond(new byte[] {1, 2, 3}, own, client));
        Responder.Outcome bad = responder.respond(new byte[] {0, 7, 1, 0, 0, 5, 0, 0, 0, 0, 0, 0, 9}, own, client);
        assertEquals(Rcode.FORMERR, ((Responder.Answer) bad).message().getRcode());
        Message notify = dev.netkeeper.testing.DnsProbe.query("api", Type.SOA);
        notify.getHeader().setOpcode(org.xbill.DNS.Opcode.NOTIFY);
        assertEquals(Rcode.NOTIMP, ((Responder.Answer) responder.respond(notify.toWire(), own, client)).message().getRcode());
    }

    @Test
    void onlyNamespacesNetkeeperMadeGetAResolvConfNamingTheirNetworksResolvers() throws Exception {
        Map<String, List<InetAddress>> files = book.resolvConfs("h1");
        assertEquals(List.of("/var/run/netns/api"), List.copyOf(files.keySet()), "pg's namespace is someone else's");
        assertEquals(List.of(InetAddress.getByName("10.61.0.1"), InetAddress.getByName("10.60.0.1"),
                InetAddress.getByName("fd60::1")), files.get("/var/run/netns/api"), "IPv4 first, by network name");
        book.network("web", new NetworkEvent.EndpointReleased("api", "unlink", AUDIT));
        book.network("db", new NetworkEvent.EndpointReleased("api", "unlink", AUDIT));
        assertEquals(List.of(), book.resolvConfs("h1").get("/var/run/netns/api"));
        book.network("web", new NetworkEvent.NetworkDeleted(AUDIT));
        assertNull(book.atGateway(InetAddress.getByName("10.60.0.1")));
    }
}
