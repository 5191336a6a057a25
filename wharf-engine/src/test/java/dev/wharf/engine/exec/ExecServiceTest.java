package dev.wharf.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.container.TestEngine;
import dev.wharf.model.Json;
import dev.wharf.model.event.EventMessage;
import dev.wharf.model.exec.ExecCreateRequest;
import dev.wharf.model.exec.ExecInspect;
import dev.wharf.oci.runtime.Process;
import dev.wharf.runtime.FakeContainerRuntime.Call;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exec instances against the fake runtime and a real container service: create, inspect, start
 * (attached, detached, failing), resize and the IDs a container's inspect lists, with Docker's
 * errors and the {@code exec_*} events. No root, no processes.
 */
class ExecServiceTest {

    @TempDir
    Path dir;
    private TestEngine engine;
    private ExecService execs;
    private EventSubscriber events;
    private String web;

    @BeforeEach
    void setUp() throws Exception {
        engine = new TestEngine(dir);
        execs = new ExecService(engine.containers(), engine.events(), engine.runtime(), engine.execRoot());
        web = engine.run("web");
        events = new EventSubscriber(engine);
    }

    @AfterEach
    void tearDown() {
        events.close();
        engine.close();
    }

    private static ExecCreateRequest req(boolean tty, boolean stdin, String... cmd) {
        return new ExecCreateRequest(null, false, tty, null, stdin, true, true, false, null, null, null, List.of(cmd));
    }

    @Test
    void create_returnsAnId_inspectShowsTheProcess_andExecCreateIsPublished() throws Exception {
        ExecCreateRequest r = new ExecCreateRequest("nobody", false, false, null, false, true, false, false,
                "ctrl-x,x", List.of("A=1"), "/tmp", List.of("ls", "-l", "/"));
        String id = execs.create("web", r).id();
        assertThat(id).matches("[0-9a-f]{64}");

        ExecInspect i = execs.inspect(id);
        assertThat(i.id()).isEqualTo(id);
        assertThat(i.containerId()).isEqualTo(web);
        assertThat(i.running()).isFalse();
        assertThat(i.exitCode()).isNull();
        assertThat(i.pid()).isZero();
        assertThat(i.canRemove()).isTrue();
        assertThat(i.openStdout()).isTrue();
        assertThat(i.openStderr()).isFalse();
        assertThat(i.openStdin()).isFalse();
        assertThat(i.detachKeys()).isEqualTo("ctrl-x,x");
        assertThat(i.processConfig()).isEqualTo(
                new ExecInspect.ProcessConfig(false, "ls", List.of("-l", "/"), false, "nobody"));

        EventMessage e = events.next();
        assertThat(e.type()).isEqualTo("container");
        assertThat(e.action()).isEqualTo("exec_create: ls -l /");
        assertThat(e.actor().id()).isEqualTo(web);
        assertThat(e.actor().attributes()).containsEntry("execID", id).containsEntry("name", "web");
    }

    @Test
    void create_refusesBadRequests_withDockersMessages() {
        assertThatThrownBy(() -> execs.create("web", req(false, false))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("No exec command specified");
        assertThatThrownBy(() -> execs.create("web", null)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("No exec command specified");
        assertThatThrownBy(() -> execs.create("ghost", req(false, false, "true")))
                .isInstanceOf(NotFoundException.class).hasMessage("No such container: ghost");
        ExecCreateRequest badKeys = new ExecCreateRequest(null, false, false, null, false, true, true, false,
                "ctrl-", null, null, List.of("true"));
        assertThatThrownBy(() -> execs.create("web", badKeys)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Invalid detach keys (ctrl-) provided");

        String stopped = engine.create("stopped", "{'Image':'busybox'}");
        assertThatThrownBy(() -> execs.create("stopped", req(false, false, "true")))
                .isInstanceOf(ConflictException.class).hasMessage("Container " + stopped + " is not running");
        engine.containers().pause("web");
        assertThatThrownBy(() -> execs.create("web", req(false, false, "true")))
                .isInstanceOf(ConflictException.class)
                .hasMessage("Container " + web + " is paused, unpause the container before exec");
        assertThat(execs.idsOf(new ContainerId(web))).isEmpty();
    }

    @Test
    void inspect_ofAnUnknownExec_isDockersNotFound() {
        assertThatThrownBy(() -> execs.inspect("nope")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such exec instance: nope");
        assertThatThrownBy(() -> execs.inspect(null)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void start_attached_multiplexesTheOutput_recordsTheExitCodeBeforeReturning_andPublishesStartAndDie()
            throws Exception {
        engine.runtime().execOutput(1, "out line\n");
        engine.runtime().execOutput(2, "err line\n");
        engine.runtime().execExitCode(3);
        String id = execs.create("web", req(false, false, "sh", "-c", "work")).id();
        events.next();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        execs.start(id, null, null, out);

        assertThat(out.toByteArray()).isEqualTo(concat(frame(1, "out line\n"), frame(2, "err line\n")));
        ExecInspect i = execs.inspect(id);
        assertThat(i.running()).isFalse();
        assertThat(i.exitCode()).isEqualTo(3);
        assertThat(i.pid()).isPositive();
        EventMessage start = events.next();
        assertThat(start.action()).isEqualTo("exec_start: sh -c work");
        assertThat(start.actor().attributes()).containsEntry("execID", id);
        EventMessage die = events.next();
        assertThat(die.action()).isEqualTo("exec_die");
        assertThat(die.actor().attributes()).containsEntry("execID", id).containsEntry("exitCode", "3");
        assertThat(engine.runtime().calls()).contains(new Call("exec", web, id), new Call("attach", id, null));

        // an exec runs once
        assertThatThrownBy(() -> execs.start(id, null, null, new ByteArrayOutputStream()))
                .isInstanceOf(ConflictException.class).hasMessage("Error: Exec command " + id + " is already running");
    }

    @Test
    void start_withATty_writesRawOutput_andTheProcessGetsTheExecsEnvironmentAndUser() throws Exception {
        engine.runtime().execOutput(1, "prompt$ ");
        ExecCreateRequest r = new ExecCreateRequest("1000:1000", false, true, List.of(24, 80), false, true, true,
                false, null, List.of("A=exec"), "/srv", List.of("sh"));
        String id = execs.create("web", r).id();
        assertThat(execs.checkStart(id)).as("has a TTY").isTrue();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        execs.start(id, List.of(40, 120), null, out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("prompt$ ");
        assertThat(execs.inspect(id).exitCode()).isZero();
        assertThat(execs.inspect(id).processConfig().tty()).isTrue();
        Process p = Json.mapper().readValue(engine.runtime().execProcesses().getLast(), Process.class);
        assertThat(p.args()).containsExactly("sh");
        assertThat(p.terminal()).isTrue();
        assertThat(p.cwd()).isEqualTo("/srv");
        assertThat(p.env()).contains("A=exec", "TERM=xterm", "HOME=/root");
        assertThat(p.user().uid()).isEqualTo(1000);
        assertThat(p.user().gid()).isEqualTo(1000);
        assertThat(p.consoleSize()).isEqualTo(new Process.ConsoleSize(40, 120));
        // its bundle is gone once it ended
        assertThat(engine.execRoot().resolve("execs").resolve(id)).doesNotExist();
    }

    @Test
    void start_detached_returnsAtOnce_andTheExitIsRecordedWhenItComes() throws Exception {
        engine.runtime().execExitCode(7);
        String id = execs.create("web", req(false, false, "sleep", "1")).id();
        execs.start(id, null, null, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(7).equals(execs.inspect(id).exitCode()));
        assertThat(execs.inspect(id).running()).isFalse();
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            actions.add(events.next().action());
        }
        assertThat(actions).containsExactly("exec_create: sleep 1", "exec_start: sleep 1", "exec_die");
        assertThatThrownBy(() -> execs.checkStart(id)).isInstanceOf(ConflictException.class)
                .hasMessage("Error: Exec command " + id + " has already run");
    }

    @Test
    void start_ofACommandRuncCannotRun_endsWithDockersMessageAndCode() throws Exception {
        engine.runtime().failExec("exec failed: unable to start container process: exec: \"nosuch\": "
                + "executable file not found in $PATH");
        String attached = execs.create("web", req(false, false, "nosuch")).id();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        execs.start(attached, null, null, out);
        String text = "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nosuch\": "
                + "executable file not found in $PATH: unknown\r\n";
        assertThat(out.toByteArray()).isEqualTo(frame(1, text));
        assertThat(execs.inspect(attached).exitCode()).isEqualTo(126);

        String detached = execs.create("web", req(false, false, "nosuch")).id();
        assertThatThrownBy(() -> execs.start(detached, null, null, null)).isInstanceOf(ConflictException.class)
                .hasMessage(text.strip());
        assertThat(execs.inspect(detached).exitCode()).isEqualTo(126);

        engine.runtime().failExec("exec failed: permission denied");
        String denied = execs.create("web", req(false, false, "/etc/passwd")).id();
        execs.start(denied, null, null, new ByteArrayOutputStream());
        assertThat(execs.inspect(denied).exitCode()).isEqualTo(126);
    }

    @Test
    void start_withTheRequestsOwnFraming_andRefusedOnceTheContainerStopped() throws Exception {
        engine.runtime().execOutput(1, "x");
        String id = execs.create("web", req(false, false, "echo")).id();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        execs.start(id, null, new ByteArrayInputStream(new byte[0]), raw, true);
        assertThat(raw.toString(StandardCharsets.UTF_8)).isEqualTo("x");

        String late = execs.create("web", req(false, false, "true")).id();
        engine.containers().kill("web", "KILL");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !engine.containers().inspect("web", false).state().running());
        assertThatThrownBy(() -> execs.checkStart(late)).isInstanceOf(ConflictException.class)
                .hasMessage("Container " + web + " is not running");
        assertThatThrownBy(() -> execs.start(late, null, null, null)).isInstanceOf(ConflictException.class)
                .hasMessage("Container " + web + " is not running");
        assertThatThrownBy(() -> execs.start("nope", null, null, null)).isInstanceOf(NotFoundException.class)
                .hasMessage("No such exec instance: nope");
    }

    @Test
    void checkStart_ofANewExec_isFine_andTellsWhetherItHasATty() {
        String plain = execs.create("web", req(false, false, "true")).id();
        assertThat(execs.checkStart(plain)).isFalse();
        assertThat(execs.checkStart(plain)).as("checking starts nothing").isFalse();
        assertThat(engine.runtime().calls()).noneMatch(c -> c.verb().equals("exec"));
        assertThatThrownBy(() -> execs.checkStart("nope")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such exec instance: nope");
    }

    @Test
    void resize_reachesTheRuntimeOnlyForARunningTtyExec() throws Exception {
        String notStarted = execs.create("web", req(true, false, "sh")).id();
        execs.resize(notStarted, 30, 100);
        assertThat(engine.runtime().calls()).noneMatch(c -> c.verb().equals("resize"));
        assertThatThrownBy(() -> execs.resize("nope", 1, 1)).isInstanceOf(NotFoundException.class)
                .hasMessage("No such exec instance: nope");
        // the fake's execs end as soon as they start, so a resize after it is ignored as Docker ignores it
        execs.start(notStarted, null, null, new ByteArrayOutputStream());
        execs.resize(notStarted, 30, 100);
        assertThat(engine.runtime().calls()).noneMatch(c -> c.verb().equals("resize"));
    }

    @Test
    void resize_ofARunningTtyExec_resizesItsConsole_andInspectShowsItRunningUntilItExits() throws Exception {
        engine.runtime().holdExecs();
        String tty = execs.create("web", req(true, false, "top")).id();
        String plain = execs.create("web", req(false, false, "sleep", "9")).id();
        execs.start(tty, null, null, null);
        execs.start(plain, null, null, null);
        assertThat(execs.inspect(tty).running()).isTrue();
        assertThat(execs.inspect(tty).exitCode()).isNull();

        execs.resize(tty, 30, 100);
        execs.resize(plain, 30, 100); // no console: nothing to resize
        assertThat(engine.runtime().calls()).filteredOn(c -> c.verb().equals("resize"))
                .containsExactly(new Call("resize", tty, "30x100"));

        engine.runtime().releaseExecs();
        await().atMost(Duration.ofSeconds(10)).until(() -> !execs.inspect(tty).running()
                && !execs.inspect(plain).running());
        assertThat(execs.inspect(tty).exitCode()).isZero();
    }

    @Test
    void idsOf_listsTheExecsOfOneContainer() {
        engine.run("db");
        String a = execs.create("web", req(false, false, "a")).id();
        String b = execs.create("web", req(false, false, "b")).id();
        String c = execs.create("db", req(false, false, "c")).id();
        assertThat(execs.idsOf(new ContainerId(web))).containsExactlyInAnyOrder(a, b);
        assertThat(execs.idsOf(new ContainerId(engine.containers().inspect("db", false).id()))).containsExactly(c);
        assertThat(execs.idsOf(new ContainerId("0".repeat(64)))).isEmpty();
    }

    private static byte[] frame(int stream, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[8 + b.length];
        out[0] = (byte) stream;
        out[4] = (byte) (b.length >>> 24);
        out[5] = (byte) (b.length >>> 16);
        out[6] = (byte) (b.length >>> 8);
        out[7] = (byte) b.length;
        System.arraycopy(b, 0, out, 8, b.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The container events published after set-up (exec events are container events). */
    private static final class EventSubscriber implements AutoCloseable {
        private final dev.wharf.engine.event.EventService.Subscription sub;

        EventSubscriber(TestEngine engine) {
            this.sub = engine.events().subscribe();
        }

        EventMessage next() throws InterruptedException {
            for (EventMessage m = sub.next(5000); m != null; m = sub.next(5000)) {
                if (m.action().startsWith("exec_")) {
                    return m;
                }
            }
            throw new AssertionError("no exec event within 5 s");
        }

        @Override
        public void close() {
            sub.close();
        }
    }
}
