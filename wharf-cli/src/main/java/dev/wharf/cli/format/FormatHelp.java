package dev.wharf.cli.format;

/**
 * The help text of {@code --format}, once for every command that takes one (annotation values
 * must be constants, so these are constants rather than a mixin: the flag names differ, {@code -f}
 * on inspect-like commands and not on lists).
 */
public final class FormatHelp {

    /** Lists: a table by default, or a table of a template, JSON lines, or a bare template. */
    public static final String LIST = "Format output using a custom template:%n"
            + "'table':            Print output in table format with column headers (default)%n"
            + "'table TEMPLATE':   Print output in table format using the given Go template%n"
            + "'json':             Print in JSON format%n"
            + "'TEMPLATE':         Print output using the given Go template.";

    /** One object (inspect, info, version, events): JSON or a template. */
    public static final String OBJECT = "Format output using a custom template:%n"
            + "'json':             Print in JSON format%n"
            + "'TEMPLATE':         Print output using the given Go template.";

    private FormatHelp() {
    }
}
