package dev.netkeeper.kernel;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;

/**
 * One unit of kernel work in "ensure" form: it makes the kernel match what it describes, creating
 * what is missing, fixing what differs, and succeeding when all is already right, so that running it
 * again (a retry, a recovery) is always safe. Tasks are plain records, so a driver can bring its own
 * (a new class, no change to the netlink actor), and they serialize to another host's actor under the
 * name a {@link KernelTaskSet} gives them (never their class name).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, property = "@task")
@JsonTypeIdResolver(KernelTaskNames.class)
public interface KernelTask extends CborSerializable {

    /** Runs on the netlink actor's pinned thread; throws KernelException / InvalidNameException. */
    void run(KernelContext kernel);

    /** For logs and errors: "ensure bridge nk-1a2b". */
    String describe();
}
