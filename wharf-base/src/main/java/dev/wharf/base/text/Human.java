package dev.wharf.base.text;

import java.time.Duration;
import java.time.Instant;

/** Durations and container states in the words Docker uses (go-units), for the daemon and the CLI. */
public final class Human {

    private Human() {
    }

    /** go-units {@code HumanDuration}: "Less than a second", "About a minute", "3 days". */
    public static String duration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = seconds / 60;
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(d.toMillis() / 3_600_000.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }

    /** The STATUS of {@code ps}: "Created", "Up 2 minutes", "Exited (0) 3 seconds ago". */
    public static String containerStatus(String state, int exitCode, Instant startedAt, Instant finishedAt,
            Instant now) {
        return switch (state) {
            case "running" -> "Up " + duration(Duration.between(startedAt, now));
            case "paused" -> "Up " + duration(Duration.between(startedAt, now)) + " (Paused)";
            case "restarting" -> "Restarting (" + exitCode + ") " + duration(Duration.between(finishedAt, now))
                    + " ago";
            case "exited" -> "Exited (" + exitCode + ") " + duration(Duration.between(finishedAt, now)) + " ago";
            case "removing" -> "Removal In Progress";
            case "dead" -> "Dead";
            default -> "Created";
        };
    }
}
