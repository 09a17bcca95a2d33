package io.namesmanager.deploy.crd;

import java.util.List;
import java.util.Map;

import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * {@code argoproj.io/v1alpha1 Application} (Argo CD v3), the fields this project may use.
 *
 * @param apiVersion argoproj.io/v1alpha1
 * @param kind       Application
 * @param metadata   object metadata
 * @param spec       what to deploy where
 * @param operation  a requested operation (written by Argo CD or the CLI)
 * @param status     written by Argo CD
 */
public record Application(String apiVersion, String kind, @Required V1ObjectMeta metadata, @Required Spec spec,
                          Object operation, Object status) {

    /**
     * @param project              the AppProject
     * @param destination          target cluster and namespace
     * @param source               one source
     * @param sources              several sources
     * @param syncPolicy           automation, options and retry
     * @param ignoreDifferences    fields Argo CD ignores when diffing
     * @param revisionHistoryLimit kept history entries
     * @param info                 extra information shown in the UI
     */
    public record Spec(@Required String project, @Required Destination destination, Source source,
                       List<Source> sources, SyncPolicy syncPolicy, List<IgnoreDifferences> ignoreDifferences,
                       Long revisionHistoryLimit, List<Info> info) {
    }

    /**
     * @param server    API server URL
     * @param name      cluster name
     * @param namespace target namespace
     */
    public record Destination(String server, String name, String namespace) {
    }

    /**
     * @param repoURL        Git or Helm repository
     * @param path           directory in a Git repository
     * @param targetRevision branch, tag, commit or chart version
     * @param chart          Helm chart name
     * @param ref            name for multi-source references
     * @param name           source name
     * @param helm           Helm options
     * @param kustomize      Kustomize options
     * @param directory      plain-directory options
     */
    public record Source(@Required String repoURL, String path, String targetRevision, String chart, String ref,
                         String name, Helm helm, Kustomize kustomize, Directory directory) {
    }

    /**
     * @param releaseName             Helm release name
     * @param valueFiles              values files
     * @param values                  values as a YAML string
     * @param valuesObject            values as an object
     * @param parameters              --set parameters
     * @param skipCrds                skip the chart's CRDs
     * @param skipTests               skip test manifests
     * @param skipSchemaValidation    skip values schema validation
     * @param passCredentials         pass credentials to all domains
     * @param ignoreMissingValueFiles ignore missing values files
     * @param namespace               release namespace
     * @param version                 Helm version
     */
    public record Helm(String releaseName, List<String> valueFiles, String values, Object valuesObject,
                       List<HelmParameter> parameters, Boolean skipCrds, Boolean skipTests,
                       Boolean skipSchemaValidation, Boolean passCredentials, Boolean ignoreMissingValueFiles,
                       String namespace, String version) {
    }

    /**
     * @param name        parameter name
     * @param value       parameter value
     * @param forceString pass as a string
     */
    public record HelmParameter(String name, String value, Boolean forceString) {
    }

    /**
     * @param namePrefix              name prefix
     * @param nameSuffix              name suffix
     * @param namespace               namespace override
     * @param images                  image overrides
     * @param commonLabels            extra labels
     * @param commonAnnotations       extra annotations
     * @param forceCommonLabels       override existing labels
     * @param forceCommonAnnotations  override existing annotations
     * @param version                 Kustomize version
     */
    public record Kustomize(String namePrefix, String nameSuffix, String namespace, List<String> images,
                            Map<String, String> commonLabels, Map<String, String> commonAnnotations,
                            Boolean forceCommonLabels, Boolean forceCommonAnnotations, String version) {
    }

    /**
     * @param recurse include subdirectories
     * @param include glob of files to include
     * @param exclude glob of files to exclude
     */
    public record Directory(Boolean recurse, String include, String exclude) {
    }

    /**
     * @param automated                automated sync
     * @param syncOptions              sync options, e.g. CreateNamespace=true
     * @param retry                    retry of failed syncs
     * @param managedNamespaceMetadata labels and annotations of a namespace Argo CD creates
     */
    public record SyncPolicy(Automated automated, List<String> syncOptions, Retry retry,
                             ManagedNamespaceMetadata managedNamespaceMetadata) {
    }

    /**
     * @param prune      delete resources no longer in Git
     * @param selfHeal   revert changes made in the cluster
     * @param allowEmpty allow an empty application
     * @param enabled    switch automation off without removing it
     */
    public record Automated(Boolean prune, Boolean selfHeal, Boolean allowEmpty, Boolean enabled) {
    }

    /**
     * @param limit   attempts (negative: unlimited)
     * @param backoff delay between attempts
     * @param refresh refresh on new revisions while retrying
     */
    public record Retry(Long limit, Backoff backoff, Boolean refresh) {
    }

    /**
     * @param duration    first delay, e.g. 5s
     * @param factor      multiplier per attempt
     * @param maxDuration longest delay, e.g. 3m
     */
    public record Backoff(String duration, Long factor, String maxDuration) {
    }

    /**
     * @param labels      namespace labels
     * @param annotations namespace annotations
     */
    public record ManagedNamespaceMetadata(Map<String, String> labels, Map<String, String> annotations) {
    }

    /**
     * @param group                 API group
     * @param kind                  kind
     * @param name                  object name
     * @param namespace             object namespace
     * @param jsonPointers          ignored JSON pointers
     * @param jqPathExpressions     ignored jq paths
     * @param managedFieldsManagers ignore fields owned by these managers
     */
    public record IgnoreDifferences(String group, @Required String kind, String name, String namespace,
                                    List<String> jsonPointers, List<String> jqPathExpressions,
                                    List<String> managedFieldsManagers) {
    }

    /**
     * @param name  label
     * @param value text
     */
    public record Info(@Required String name, @Required String value) {
    }
}
