/**
 * Names Manager frontend: serves the web UI and proxies {@code /api} to the backend.
 */
package io.namesmanager.frontend;
