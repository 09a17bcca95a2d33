/**
 * What both Names Manager services share: logging set-up from the environment ({@code LOG_LEVEL},
 * {@code LOG_FORMAT}), request ids, and a graceful exit on SIGTERM.
 */
package io.namesmanager.common;
