package dev.wharf.builder.parse;

import java.util.List;

/**
 * One instruction of a Dockerfile as written: its keyword (lower case), the text after it with
 * continuations joined ({@code args}), the heredocs that follow it, and where it is. {@code original}
 * is the instruction as Docker prints it in {@code Step N/M : …}.
 */
public record Line(String keyword, String args, List<Heredoc> heredocs, int startLine, int endLine,
        String original) {

    public Line {
        heredocs = List.copyOf(heredocs);
    }
}
