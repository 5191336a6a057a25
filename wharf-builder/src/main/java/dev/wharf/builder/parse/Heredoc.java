package dev.wharf.builder.parse;

/**
 * A heredoc body given after an instruction: {@code <<EOF} … {@code EOF}. {@code content} ends
 * with a newline per line read; with {@code <<-} leading tabs were removed. {@code expand} is false
 * when the name was quoted ({@code <<"EOF"}), which turns off variable expansion of the body.
 */
public record Heredoc(String name, String content, boolean expand, int fd) {
}
