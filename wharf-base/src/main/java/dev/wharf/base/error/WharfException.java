package dev.wharf.base.error;

/**
 * The root of Wharf's error categories. Each category maps to one HTTP status in the daemon's
 * error mapper and nowhere else. Domain errors subclass a category and carry Docker's wording.
 */
public abstract sealed class WharfException extends RuntimeException
        permits NotFoundException, InvalidArgumentException, ConflictException, NotModifiedException,
                ForbiddenException, UnavailableException, NotImplementedException, InternalException,
                UnauthorizedException {

    protected WharfException(String message) {
        super(message);
    }

    protected WharfException(String message, Throwable cause) {
        super(message, cause);
    }
}
