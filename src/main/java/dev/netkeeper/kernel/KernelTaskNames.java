package dev.netkeeper.kernel;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.jsontype.impl.TypeIdResolverBase;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Jackson's type ids for {@link KernelTask}s: the names the {@link KernelTaskSet}s give them, never a
 * class name. A name that no set lists is refused when read; a task class without a name cannot be written.
 */
public final class KernelTaskNames extends TypeIdResolverBase {
    private record Registry(Map<String, Class<? extends KernelTask>> byName, Map<Class<?>, String> byClass) {}

    private static volatile Registry registry;

    private static Registry registry() {
        Registry r = registry;
        if (r == null) {
            synchronized (KernelTaskNames.class) {
                if (registry == null) {
                    registry = load();
                }
                r = registry;
            }
        }
        return r;
    }

    private static Registry load() {
        Map<String, Class<? extends KernelTask>> byName = new HashMap<>();
        Map<Class<?>, String> byClass = new HashMap<>();
        for (KernelTaskSet set : ServiceLoader.load(KernelTaskSet.class, KernelTaskSet.class.getClassLoader())) {
            set.tasks().forEach((name, type) -> {
                Class<?> before = byName.putIfAbsent(name, type);
                if (before != null && before != type) {
                    throw new IllegalStateException("kernel task name '" + name + "' is taken by " + before.getName()
                            + " and " + type.getName());
                }
                byClass.put(type, name);
            });
        }
        return new Registry(Map.copyOf(byName), Map.copyOf(byClass));
    }

    /** The name {@code type} travels under. */
    public static String nameOf(Class<?> type) {
        String name = registry().byClass().get(type);
        if (name == null) {
            throw new IllegalArgumentException("kernel task " + type.getName() + " has no name: list it in a KernelTaskSet");
        }
        return name;
    }

    /** Every named task, by name. */
    public static Map<String, Class<? extends KernelTask>> all() {
        return registry().byName();
    }

    @Override
    public String idFromValue(Object value) {
        return nameOf(value.getClass());
    }

    @Override
    public String idFromValueAndType(Object value, Class<?> suggestedType) {
        return nameOf(value != null ? value.getClass() : suggestedType);
    }

    @Override
    public JavaType typeFromId(DatabindContext context, String id) {
        Class<? extends KernelTask> type = registry().byName().get(id);
        return type == null ? null : context.constructType(type); // null: Jackson refuses the unknown id
    }

    @Override
    public JsonTypeInfo.Id getMechanism() {
        return JsonTypeInfo.Id.CUSTOM;
    }
}
