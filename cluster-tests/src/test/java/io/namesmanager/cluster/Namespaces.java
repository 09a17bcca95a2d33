package io.namesmanager.cluster;

import java.util.concurrent.ThreadLocalRandom;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Throwaway namespaces, so that tests sharing the cluster never see each other's objects. */
final class Namespaces {

    private Namespaces() {
    }

    /** Creates a namespace named PREFIX plus a random suffix and returns its name. */
    static String create(KubernetesClient client, String prefix) {
        String name = prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }
}
