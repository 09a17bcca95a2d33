package io.namesmanager.backend;

import io.helidon.http.Status;

/**
 * A request the API refuses, with the status and the message the client sees as {@code {"error": …}}.
 */
final class ApiException extends RuntimeException {

    private final Status status;

    ApiException(Status status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(Status.BAD_REQUEST_400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(Status.NOT_FOUND_404, message);
    }

    /** 503: the database cannot be reached (or is not migrated yet). */
    static ApiException databaseUnavailable() {
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, "Database unavailable, please retry later.");
    }

    Status status() {
        return status;
    }
}
