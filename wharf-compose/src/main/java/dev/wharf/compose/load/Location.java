package dev.wharf.compose.load;

/** Where a key or value was written: the file and its 1-based line and column. */
public record Location(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
