import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Makes raw syscalls from inside a container and prints, for each, "NAME ok" or "NAME errno=N".
 * Run with the JDK's source launcher: java SyscallProbe.java NAME...
 * (x86_64 numbers; arguments chosen so that each call succeeds, or fails harmlessly, when allowed).
 */
public class SyscallProbe {
    public static void main(String[] names) throws Throwable {
        Linker linker = Linker.nativeLinker();
        StructLayout capture = Linker.Option.captureStateLayout();
        VarHandle errno = capture.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        ValueLayout.OfLong l = ValueLayout.JAVA_LONG;
        MethodHandle syscall = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(l, l, l, l, l, l, l), Linker.Option.firstVariadicArg(1),
                Linker.Option.captureCallState("errno"));
        long pid = ProcessHandle.current().pid();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(capture);
            for (String name : names) {
                long[] c = switch (name) {
                    case "kcmp" -> new long[] {312, pid, pid, 1, 0, 0};          // KCMP_VM of itself
                    case "userfaultfd" -> new long[] {323, 1, 0, 0, 0, 0};      // UFFD_USER_MODE_ONLY
                    case "move_pages" -> new long[] {279, 0, 0, 0, 0, 0};       // no pages of itself
                    case "keyctl" -> new long[] {250, 0, -3, 0, 0, 0};          // id of the session keyring
                    case "unshare-user" -> new long[] {272, 0x10000000L, 0, 0, 0, 0};
                    case "unshare-uts" -> new long[] {272, 0x04000000L, 0, 0, 0, 0};
                    case "perf_event_open" -> new long[] {298, 0, 0, -1, -1, 0}; // no attr: EFAULT when allowed
                    case "pidfd_getfd" -> new long[] {438, -1, 0, 0, 0, 0};     // a bad pidfd: EBADF when allowed
                    case "process_madvise" -> new long[] {440, -1, 0, 0, 0, 0}; // the same
                    case "ustat" -> new long[] {136, 0, 0, 0, 0, 0};            // on no list: EFAULT when allowed
                    case "unknown" -> new long[] {1000, 0, 0, 0, 0, 0};
                    case "getpid" -> new long[] {39, 0, 0, 0, 0, 0};
                    default -> throw new IllegalArgumentException(name);
                };
                long rc = (long) syscall.invokeExact(state, c[0], c[1], c[2], c[3], c[4], c[5]);
                System.out.println(name + (rc < 0 ? " errno=" + (int) errno.get(state, 0L) : " ok"));
            }
        }
    }
}
