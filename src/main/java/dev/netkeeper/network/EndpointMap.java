package dev.netkeeper.network;

import scala.collection.immutable.VectorMap;
import scala.collection.immutable.VectorMap$;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A network's endpoints by name, in the order they were linked: an immutable map whose {@link #with} and
 * {@link #without} share structure with the map they come from (Scala's persistent VectorMap underneath), so
 * that applying one event to a network of 10,000 endpoints costs what it costs for ten: no whole-map copy.
 * Read as any {@link Map}; serialized as one, so a snapshot's form is a plain object of endpoints by name.
 */
final class EndpointMap extends AbstractMap<String, Endpoint> {
    static final EndpointMap EMPTY = new EndpointMap(VectorMap$.MODULE$.<String, Endpoint>empty());

    private final VectorMap<String, Endpoint> byName;

    private EndpointMap(VectorMap<String, Endpoint> byName) {
        this.byName = byName;
    }

    /** {@code map} itself when it is one already; else a copy, in its iteration order (once, e.g. after a snapshot is read). */
    static EndpointMap of(Map<String, Endpoint> map) {
        if (map instanceof EndpointMap own) {
            return own;
        }
        EndpointMap out = EMPTY;
        for (Map.Entry<String, Endpoint> e : map.entrySet()) {
            out = out.with(e.getKey(), e.getValue());
        }
        return out;
    }

    /** This map with {@code name} set to {@code endpoint} (a new name goes last; a known one keeps its place). */
    EndpointMap with(String name, Endpoint endpoint) {
        return new EndpointMap(byName.updated(name, endpoint));
    }

    EndpointMap without(String name) {
        return new EndpointMap(byName.removed(name));
    }

    @Override
    public Endpoint get(Object name) {
        return name instanceof String s ? byName.get(s).getOrElse(() -> null) : null;
    }

    @Override
    public boolean containsKey(Object name) {
        return name instanceof String s && byName.contains(s);
    }

    @Override
    public int size() {
        return byName.size();
    }

    @Override
    public Set<Entry<String, Endpoint>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Endpoint>> iterator() {
                scala.collection.Iterator<scala.Tuple2<String, Endpoint>> it = byName.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Entry<String, Endpoint> next() {
                        scala.Tuple2<String, Endpoint> t = it.next();
                        return new SimpleImmutableEntry<>(t._1(), t._2());
                    }
                };
            }

            @Override
            public int size() {
                return byName.size();
            }
        };
    }
}
