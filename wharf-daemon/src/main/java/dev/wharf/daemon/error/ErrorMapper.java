package dev.wharf.daemon.error;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.ForbiddenException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.error.NotImplementedException;
import dev.wharf.base.error.NotModifiedException;
import dev.wharf.base.error.UnauthorizedException;
import dev.wharf.base.error.UnavailableException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The only place where error categories become HTTP status codes and {@code {"message":…}}
 * bodies (moby {@code httpstatus.FromError}). Works on categories only: never add checks for
 * specific domain exceptions here.
 */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    public static int status(Throwable t) {
        return switch (unwrap(t)) {
            case NotFoundException e -> 404;
            case InvalidArgumentException e -> 400;
            case ConflictException e -> 409;
            case NotModifiedException e -> 304;
            case ForbiddenException e -> 403;
            case UnauthorizedException e -> 401;
            case UnavailableException e -> 503;
            case NotImplementedException e -> 501;
            default -> 500;
        };
    }

    /** The JSON error body; empty for 304, which carries no body. */
    public static byte[] body(Throwable t) {
        if (status(t) == 304) {
            return new byte[0];
        }
        return ("{\"message\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message(t)))
                + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The exception's message, or its class name when it has none. */
    public static String message(Throwable t) {
        Throwable u = unwrap(t);
        String m = u.getMessage();
        return m == null || m.isEmpty() ? u.getClass().getName() : m;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable u = t;
        while ((u instanceof CompletionException || u instanceof ExecutionException
                || u instanceof InvocationTargetException) && u.getCause() != null) {
            u = u.getCause();
        }
        return u;
    }
}
