package io.namesmanager.deploy.crd;

import java.util.List;
import java.util.Map;

import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * {@code bitnami.com/v1alpha1 SealedSecret}.
 *
 * @param apiVersion bitnami.com/v1alpha1
 * @param kind       SealedSecret
 * @param metadata   object metadata
 * @param spec       the sealed data and the Secret's template
 * @param status     written by the controller
 */
public record SealedSecret(String apiVersion, String kind, V1ObjectMeta metadata, @Required Spec spec, Object status) {

    /**
     * @param encryptedData per key, the base64 hybrid ciphertext of the value
     * @param template      the Secret the controller creates
     */
    public record Spec(@Required Map<String, String> encryptedData, Template template) {
    }

    /**
     * @param metadata  the Secret's metadata
     * @param type      the Secret's type
     * @param immutable whether the Secret's data may change
     * @param data      unencrypted template data (may reference decrypted keys)
     */
    public record Template(TemplateMetadata metadata, String type, Boolean immutable, Map<String, String> data) {
    }

    /**
     * @param name        Secret name
     * @param namespace   Secret namespace
     * @param labels      Secret labels
     * @param annotations Secret annotations
     * @param finalizers  Secret finalizers
     */
    public record TemplateMetadata(String name, String namespace, Map<String, String> labels,
                                   Map<String, String> annotations, List<String> finalizers) {
    }
}
