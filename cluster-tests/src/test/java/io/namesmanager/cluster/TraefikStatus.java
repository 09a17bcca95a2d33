package io.namesmanager.cluster;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The one thing k3s's Traefik does to the API that the stage needs: it publishes the node's address in the status of
 * every Ingress of class {@code traefik} (its ServiceLB address), which is what Argo CD waits for before it calls an
 * Ingress Healthy. Traefik itself (the proxy) does not run here.
 */
final class TraefikStatus implements AutoCloseable {

    static final String INGRESS_CLASS = "traefik";

    private final SharedIndexInformer<Ingress> informer;

    private TraefikStatus(SharedIndexInformer<Ingress> informer) {
        this.informer = informer;
    }

    /** Starts publishing ADDRESS for the Ingresses of the cluster. */
    static TraefikStatus start(KubernetesClient client, String address) {
        ResourceEventHandler<Ingress> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Ingress ingress) {
                publish(client, ingress, address);
            }

            @Override
            public void onUpdate(Ingress before, Ingress ingress) {
                publish(client, ingress, address);
            }

            @Override
            public void onDelete(Ingress ingress, boolean unknownState) {
            }
        };
        return new TraefikStatus(client.network().v1().ingresses().inAnyNamespace().inform(handler));
    }

    private static void publish(KubernetesClient client, Ingress ingress, String address) {
        boolean ours = INGRESS_CLASS.equals(ingress.getSpec().getIngressClassName());
        boolean published = ingress.getStatus() != null && ingress.getStatus().getLoadBalancer() != null
                            && !ingress.getStatus().getLoadBalancer().getIngress().isEmpty();
        if (!ours || published) {
            return;
        }
        ingress.setStatus(new IngressStatusBuilder().withNewLoadBalancer().addToIngress(
                new IngressLoadBalancerIngressBuilder().withIp(address).build()).endLoadBalancer().build());
        try {
            client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace())
                    .resource(ingress).updateStatus();
        } catch (KubernetesClientException e) {
            // changed meanwhile: the informer brings the new version, and that one is published
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
