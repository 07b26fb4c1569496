package dev.netkeeper.cni;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.api.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The values of a CNI call, parsed once: the attachment's endpoint name both ways, CNI_ARGS, the configuration, a spool entry. */
class CniCallTest {
    @Test
    void anAttachmentIsItsEndpointNameAndBack() {
        Attachment a = new Attachment("26e944648b72d35d", "eth0");
        assertEquals("cni:26e944648b72d35d:eth0", a.endpointName());
        assertEquals(Optional.of(a), Attachment.ofEndpoint(a.endpointName()));
        assertEquals(Optional.empty(), Attachment.ofEndpoint("c1"), "an endpoint linked otherwise is no attachment");
        assertEquals(Optional.empty(), Attachment.ofEndpoint("cni:a:b:c"));
        assertEquals(CniError.INVALID_ENVIRONMENT, assertThrows(CniError.class, () -> new Attachment("a/b", "eth0")).code());
        assertEquals(CniError.INVALID_ENVIRONMENT, assertThrows(CniError.class, () -> new Attachment("abc", "eth")).code());
        assertEquals(CniError.INVALID_ENVIRONMENT, assertThrows(CniError.class, () -> new Attachment("abc", "eth:0")).code());
    }

    @Test
    void cniArgsAreKeyValuePairs() {
        CniArgs args = CniArgs.parse("IgnoreUnknown=1;K8S_POD_NAME=brave;MAC=02:11:22:33:44:55;IP=10.99.0.7");
        assertEquals("10.99.0.7", args.get("IP"));
        assertEquals("02:11:22:33:44:55", args.get("MAC"));
        assertEquals(null, args.get("nothing"));
        assertEquals(CniArgs.NONE, CniArgs.parse(""));
        assertEquals(CniError.INVALID_ENVIRONMENT, assertThrows(CniError.class, () -> CniArgs.parse("IP")).code());
    }

    @Test
    void theConfigurationIsReadOnce() throws Exception {
        String text = """
                {"cniVersion": "1.0.0", "name": "nk1", "type": "netkeeper", "subnet": "10.89.0.0/24", "mtu": 1400,
                 "ipMasq": false, "runtimeConfig": {"portMappings": [
                   {"hostPort": 8080, "containerPort": 80, "protocol": "tcp"},
                   {"hostPort": 5353, "containerPort": 53, "protocol": "udp", "hostIP": "127.0.0.1"}],
                   "ips": ["10.89.0.7/24"], "mac": "02:11:22:33:44:55"},
                 "cni.dev/valid-attachments": [{"containerID": "abc", "ifname": "eth0"}]}""";
        CniConfig c = CniConfig.parse(text.getBytes(StandardCharsets.UTF_8));
        assertEquals("nk1", c.name());
        assertEquals(List.of("8080:80/tcp", "127.0.0.1:5353:53/udp"), c.portMappings().stream().map(Object::toString)
                .map(s -> s.replace("0.0.0.0:", "")).toList());
        assertEquals(List.of("10.89.0.7"), c.ips());
        assertEquals(List.of(new Attachment("abc", "eth0")), c.validAttachments());
        assertEquals("false", c.networkOptions().driverOptions().get("bridge.masquerade"));
        assertEquals(1400, c.networkOptions().mtu());
        assertEquals(CniError.INVALID_CONFIG, assertThrows(CniError.class,
                () -> CniConfig.parse("{\"cniVersion\": \"1.0.0\"}".getBytes(StandardCharsets.UTF_8))).code());
        assertEquals(CniError.INCOMPATIBLE_VERSION, assertThrows(CniError.class,
                () -> CniConfig.parse("{\"cniVersion\": \"0.3.1\", \"name\": \"x\"}".getBytes(StandardCharsets.UTF_8))).code());
        assertEquals(CniError.DECODING_FAILURE, assertThrows(CniError.class,
                () -> CniConfig.parse("[1]".getBytes(StandardCharsets.UTF_8))).code());
    }

    @Test
    void everyNetkeeperCodeHasItsOwnCniCodeFrom100() {
        int[] codes = Arrays.stream(ErrorCode.values()).mapToInt(CniErrors::code).sorted().toArray();
        assertEquals(codes.length, Arrays.stream(codes).distinct().count(), "distinct");
        assertTrue(codes[0] >= 100, "above the spec's own");
        CniError e = CniErrors.of(new dev.netkeeper.api.NetkeeperException(ErrorCode.HOST_UNAVAILABLE, "h2 is away"));
        assertEquals(CniError.TRY_AGAIN_LATER, e.code(), "unavailable: try again later");
        assertEquals("HOST_UNAVAILABLE", e.details());
    }

    @Test
    void aSpoolEntryIsTheShimsHeadersAndTheConfiguration() throws Exception {
        Path dir = Files.createTempDirectory("nk-spool-");
        Path entry = dir.resolve("0001-1.del");
        Files.writeString(entry, "CNI-Command: DEL\nCNI-ContainerID: abc\nCNI-Netns: /run/netns/x\nCNI-Ifname: eth0\n"
                + "CNI-Spooled-At: 1\n\n{\"cniVersion\":\"1.0.0\",\"name\":\"nk1\"}");
        CniCall call = CniSpool.read(entry);
        assertEquals("DEL", call.command());
        assertEquals(new Attachment("abc", "eth0"), call.attachment());
        assertEquals("/run/netns/x", call.netns());
        assertEquals("nk1", new ObjectMapper().readTree(call.config()).path("name").asText());
        Files.delete(entry);
        Files.delete(dir);
    }
}
