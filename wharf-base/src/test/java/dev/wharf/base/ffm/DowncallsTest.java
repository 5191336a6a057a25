package dev.wharf.base.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

class DowncallsTest {

    private static final MethodHandle CLOSE =
            Downcalls.libc("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    @Test
    void aFailedCall_leavesItsErrno() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Downcalls.capture(arena);
            int rc = (int) CLOSE.invokeExact(cap, -1);
            assertThat(rc).isEqualTo(-1);
            assertThat(Downcalls.errno(cap)).isEqualTo(9); // EBADF
        }
    }

    @Test
    void strerror_isLibcsText() {
        assertThat(Downcalls.strerror(2)).isEqualTo("No such file or directory");
    }

    @Test
    void anUnknownFunction_failsToLink() {
        assertThatThrownBy(() -> Downcalls.libcNoErrno("no_such_function_in_libc", FunctionDescriptor.ofVoid()))
                .isInstanceOf(UnsatisfiedLinkError.class);
    }
}
