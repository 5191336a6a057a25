package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

class FlagParserTest {

    static final class Cmd {
        @Option(names = {"-i", "--interactive"})
        boolean interactive;
        @Option(names = {"-t", "--tty"})
        boolean tty;
        @Option(names = {"-e", "--env"})
        List<String> env;
        @Option(names = {"-n", "--last"}, defaultValue = "-1")
        int last;
        @Option(names = "--sig-proxy", defaultValue = "true")
        boolean sigProxy;
        @Option(names = "--name")
        String name;
        @Option(names = "--help", usageHelp = true)
        boolean help;
        @Parameters
        List<String> args;
    }

    @Test
    void parse_handlesClustersValuesAndStopsAtImage() {
        Cmd c = new Cmd();
        assertThat(FlagParser.parse(c, new String[] {"-it", "-eA=1", "--env", "B=2", "--name=web", "--sig-proxy=false",
            "busybox", "ls", "-la", "--name", "x"}, true)).isTrue();
        assertThat(c.interactive).isTrue();
        assertThat(c.tty).isTrue();
        assertThat(c.env).containsExactly("A=1", "B=2");
        assertThat(c.name).isEqualTo("web");
        assertThat(c.sigProxy).isFalse();
        assertThat(c.last).isEqualTo(-1);
        assertThat(c.args).containsExactly("busybox", "ls", "-la", "--name", "x");
    }

    @Test
    void parse_reportsHelpAndErrorsLikePflag() {
        assertThat(FlagParser.parse(new Cmd(), new String[] {"--help"}, false)).isFalse();
        assertThatThrownBy(() -> FlagParser.parse(new Cmd(), new String[] {"--bogus"}, false))
                .hasMessage("unknown flag: --bogus");
        assertThatThrownBy(() -> FlagParser.parse(new Cmd(), new String[] {"-x"}, false))
                .hasMessage("unknown shorthand flag: 'x' in -x");
        assertThatThrownBy(() -> FlagParser.parse(new Cmd(), new String[] {"--name"}, false))
                .hasMessage("flag needs an argument: --name");
        assertThatThrownBy(() -> FlagParser.parse(new Cmd(), new String[] {"-n", "abc"}, false))
                .hasMessage("invalid argument \"abc\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"abc\": "
                        + "invalid syntax");
    }

    @Test
    void parse_doubleDashEndsFlags() {
        Cmd c = new Cmd();
        FlagParser.parse(c, new String[] {"-t", "--", "-i"}, false);
        assertThat(c.interactive).isFalse();
        assertThat(c.args).containsExactly("-i");
    }
}
