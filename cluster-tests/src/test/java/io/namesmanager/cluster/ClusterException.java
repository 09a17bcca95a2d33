package io.namesmanager.cluster;

/** The cluster could not be started or driven: the message is one line with the cause and the log to read. */
final class ClusterException extends RuntimeException {

    ClusterException(String message) {
        super(message);
    }

    ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
