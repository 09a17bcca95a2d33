package io.namesmanager.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything the repository deploys, applied to the control plane as provisioning and Argo CD apply it: server-side,
 * with strict field validation, first as a server-side dry run, then for real; then the workloads come up.
 */
class ManifestsTest {

    private static final Duration ROLL_OUT = Duration.ofSeconds(120);
    /**
     * The one warning accepted: Argo CD 3.5 knows its AppProject finalizer only by the bare name (Applications have
     * domain-qualified ones, which the repository uses).
     */
    private static final String APP_PROJECT_FINALIZER_WARNING =
            "metadata.finalizers: \"resources-finalizer.argocd.argoproj.io\": prefer a domain-qualified finalizer name";

    private static Environments environments;
    private static KubernetesClient client;
    /** What each source's dry run and apply printed, in apply order. */
    private static final Map<String, Run> DRY_RUNS = new LinkedHashMap<>();
    private static final Map<String, Run> APPLIES = new LinkedHashMap<>();
    private static long appliedAt;

    @BeforeAll
    static void applyEverything() {
        environments = Environments.prepared();
        client = environments.cluster().client();
        environments.installArgoCd();
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("Argo CD CRDs", environments.argoCdCrds());
        sources.put("argocd/install", argoCdInstall());
        sources.put("argocd/registry", environments.render("argocd/registry"));
        sources.put("argocd", environments.render("argocd"));
        for (String env : Environments.NAMES) {
            sources.put("overlays/" + env, environments.render("overlays/" + env));
            // Also on its own, as a kustomization of its own (into the namespace its overlay made).
            sources.put("sealed-secrets/" + env, environments.render("sealed-secrets/" + env));
        }
        appliedAt = System.nanoTime();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            // A dry run cannot create the namespaces the other objects go to: those are applied first.
            apply(Manifests.namespaces(source.getValue()), false);
            DRY_RUNS.put(source.getKey(), apply(source.getValue(), true));
            APPLIES.put(source.getKey(), apply(source.getValue(), false));
        }
    }

    /**
     * The Argo CD objects go again: no Argo CD runs in this stage to honour their finalizers, so those are removed
     * first. The other tests of the JVM then meet the cluster as provisioning leaves it before Argo CD starts.
     */
    @AfterAll
    static void removeArgoCdObjects() {
        for (String kind : List.of("applications.argoproj.io", "appprojects.argoproj.io")) {
            for (String name : environments.cluster().kubectl("", "-n", "argocd", "get", kind, "-o", "name").ok()
                    .lines().toList()) {
                environments.cluster().kubectl("", "-n", "argocd", "patch", name, "--type=merge",
                                               "-p", "{\"metadata\":{\"finalizers\":null}}").ok();
                environments.cluster().kubectl("", "-n", "argocd", "delete", name, "--wait=true").ok();
            }
        }
    }

    @Test
    void everySourceAppliesWithoutErrorOrWarning() {
        List<String> problems = new ArrayList<>();
        Stream.of(DRY_RUNS, APPLIES).flatMap(runs -> runs.entrySet().stream()).forEach(entry -> {
            Run run = entry.getValue();
            String warnings = run.err().lines().filter(line -> line.contains("Warning") || line.contains("warning"))
                    .filter(line -> !line.contains(APP_PROJECT_FINALIZER_WARNING)).reduce("", String::concat);
            if (run.exit() != 0 || !warnings.isEmpty()) {
                problems.add(entry.getKey() + ": " + run);
            }
        });
        assertEquals(List.of(), problems);
        assertEquals(DRY_RUNS.keySet(), APPLIES.keySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"names-dev", "names-prod"})
    void everyWorkloadRollsOut(String namespace) {
        await().atMost(ROLL_OUT).untilAsserted(() -> {
            for (Deployment deployment : client.apps().deployments().inNamespace(namespace).list().getItems()) {
                assertTrue(deployment.getStatus() != null && deployment.getStatus().getConditions().stream()
                                   .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus())),
                           deployment.getMetadata().getName() + " Available");
            }
            StatefulSet postgres = client.apps().statefulSets().inNamespace(namespace).withName("postgres").get();
            assertEquals(postgres.getSpec().getReplicas(), postgres.getStatus().getReadyReplicas(), "postgres Ready");
        });
        environments.cluster().report("apply of everything -> " + namespace + " rolled out", appliedAt);
        assertEquals(List.of("backend", "frontend"), client.apps().deployments().inNamespace(namespace).list()
                .getItems().stream().map(d -> d.getMetadata().getName()).sorted().toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"names-dev", "names-prod"})
    void everyServiceHasReadyEndpoints(String namespace) {
        await().atMost(ROLL_OUT).untilAsserted(() -> {
            for (Service service : client.services().inNamespace(namespace).list().getItems()) {
                List<EndpointSlice> slices = client.discovery().v1().endpointSlices().inNamespace(namespace)
                        .withLabel("kubernetes.io/service-name", service.getMetadata().getName()).list().getItems();
                assertTrue(slices.stream().filter(s -> s.getEndpoints() != null).flatMap(s -> s.getEndpoints().stream())
                                   .anyMatch(e -> Boolean.TRUE.equals(e.getConditions().getReady())),
                           service.getMetadata().getName() + " has a ready endpoint");
            }
        });
    }

    @Test
    void prodDisruptionBudgetsAndAutoscalersAreInForce() {
        await().atMost(ROLL_OUT).untilAsserted(() -> {
            for (String name : List.of("backend", "frontend")) {
                var budget = client.policy().v1().podDisruptionBudget().inNamespace("names-prod").withName(name).get();
                assertTrue(budget.getStatus().getExpectedPods() >= 2, name + " budget counts its pods");
                var autoscaler = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("names-prod")
                        .withName(name).get();
                // The controller enforces minReplicas even before metrics exist.
                assertEquals(autoscaler.getSpec().getMinReplicas(), autoscaler.getStatus().getCurrentReplicas());
            }
        });
    }

    @Test
    void networkPoliciesAreAdmitted() {
        for (String namespace : List.of("names-dev", "names-prod")) {
            assertFalse(client.network().v1().networkPolicies().inNamespace(namespace).list().getItems().isEmpty());
        }
    }

    @Test
    void theBackupCronJobRunsAJobToCompletionAndNoClaimStaysPending() {
        environments.cluster().kubectl("", "-n", "names-prod", "create", "job", "--from=cronjob/postgres-backup",
                                       "postgres-backup-initial").ok();
        await().atMost(ROLL_OUT).untilAsserted(() -> {
            Job job = client.batch().v1().jobs().inNamespace("names-prod").withName("postgres-backup-initial").get();
            assertEquals(Integer.valueOf(1), job.getStatus().getSucceeded(), "the backup job succeeded");
        });
        await().atMost(ROLL_OUT).untilAsserted(() -> {
            for (String namespace : List.of("names-dev", "names-prod", "registry")) {
                for (PersistentVolumeClaim claim : client.persistentVolumeClaims().inNamespace(namespace).list()
                        .getItems()) {
                    assertEquals("Bound", claim.getStatus().getPhase(),
                                 namespace + "/" + claim.getMetadata().getName());
                }
            }
        });
    }

    /** Server-side apply with strict field validation, as a dry run or for real. */
    private static Run apply(String manifests, boolean dryRun) {
        List<String> args = new ArrayList<>(List.of("apply", "--server-side", "--field-manager=cluster-stage",
                                                    "--validate=strict", "-f", "-"));
        if (dryRun) {
            args.add("--dry-run=server");
        }
        return environments.cluster().kubectl(manifests, args.toArray(String[]::new));
    }

    /** argocd/install with the upstream install manifest from the pinned module instead of its URL. */
    private static String argoCdInstall() {
        Path install = environments.workspace().path("argocd/install");
        Path upstream = install.resolve("upstream-install.yaml");
        try {
            Files.copy(environments.cluster().share("argocd/install.yaml"), upstream);
            Path kustomization = install.resolve("kustomization.yaml");
            String original = Files.readString(kustomization);
            String local = original.replaceAll("(?m)^(\\s*- )https://\\S+/manifests/install\\.yaml$",
                                               "$1upstream-install.yaml");
            assertFalse(local.equals(original), "argocd/install/kustomization.yaml names the upstream install.yaml");
            Files.writeString(kustomization, local);
            return environments.render("argocd/install");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            environments.workspace().git("checkout", "--", "argocd/install/kustomization.yaml").ok();
            upstream.toFile().delete();
        }
    }
}
