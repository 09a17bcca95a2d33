package io.namesmanager.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Health checks of the programs' own endpoints on 127.0.0.1. The controllers serve HTTPS with certificates they make
 * themselves at start-up, so only loopback URLs are accepted and their certificates are not checked.
 */
final class LocalHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .sslContext(trustingContext())
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private LocalHttp() {
    }

    /** True when GET URL answers 200 with a body containing EXPECTED. */
    static boolean answers(String url, String expected) {
        URI uri = URI.create(url);
        if (!"127.0.0.1".equals(uri.getHost())) {
            throw new IllegalArgumentException("only loopback URLs are checked: " + url);
        }
        try {
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains(expected);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static SSLContext trustingContext() {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
