package io.namesmanager.deploy.crd;

import java.util.List;

import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * {@code argoproj.io/v1alpha1 AppProject} (Argo CD v3), the fields this project may use.
 *
 * @param apiVersion argoproj.io/v1alpha1
 * @param kind       AppProject
 * @param metadata   object metadata
 * @param spec       what the project's applications may deploy, from where and to where
 * @param status     written by Argo CD
 */
public record AppProject(String apiVersion, String kind, @Required V1ObjectMeta metadata, @Required Spec spec,
                         Object status) {

    /**
     * @param description                human description
     * @param sourceRepos                allowed source repositories
     * @param sourceNamespaces           namespaces Applications may live in
     * @param destinations               allowed clusters and namespaces
     * @param clusterResourceWhitelist   allowed cluster-scoped kinds
     * @param clusterResourceBlacklist   forbidden cluster-scoped kinds
     * @param namespaceResourceWhitelist allowed namespaced kinds
     * @param namespaceResourceBlacklist forbidden namespaced kinds
     * @param orphanedResources          orphaned-resource monitoring
     * @param roles                      project roles
     * @param syncWindows                sync windows
     */
    public record Spec(String description, List<String> sourceRepos, List<String> sourceNamespaces,
                       List<Destination> destinations, List<ClusterResource> clusterResourceWhitelist,
                       List<ClusterResource> clusterResourceBlacklist, List<GroupKind> namespaceResourceWhitelist,
                       List<GroupKind> namespaceResourceBlacklist, OrphanedResources orphanedResources,
                       List<Role> roles, List<SyncWindow> syncWindows) {
    }

    /**
     * @param server    API server URL
     * @param name      cluster name
     * @param namespace namespace (glob)
     */
    public record Destination(String server, String name, String namespace) {
    }

    /**
     * @param group API group ("" for the core group)
     * @param kind  kind
     * @param name  object name (glob)
     */
    public record ClusterResource(@Required String group, @Required String kind, String name) {
    }

    /**
     * @param group API group ("" for the core group)
     * @param kind  kind
     */
    public record GroupKind(@Required String group, @Required String kind) {
    }

    /**
     * @param warn   warn about orphaned resources
     * @param ignore resources not to report
     */
    public record OrphanedResources(Boolean warn, List<OrphanedIgnore> ignore) {
    }

    /**
     * @param group API group
     * @param kind  kind
     * @param name  object name
     */
    public record OrphanedIgnore(String group, String kind, String name) {
    }

    /**
     * @param name        role name
     * @param description role description
     * @param policies    Casbin policy lines
     * @param groups      SSO groups
     */
    public record Role(@Required String name, String description, List<String> policies, List<String> groups) {
    }

    /**
     * @param kind         allow or deny
     * @param schedule     cron schedule
     * @param duration     window length
     * @param timeZone     time zone
     * @param applications application globs
     * @param namespaces   namespace globs
     * @param clusters     cluster globs
     * @param manualSync   allow manual syncs in a deny window
     * @param description  description
     */
    public record SyncWindow(String kind, String schedule, String duration, String timeZone,
                             List<String> applications, List<String> namespaces, List<String> clusters,
                             Boolean manualSync, String description) {
    }
}
