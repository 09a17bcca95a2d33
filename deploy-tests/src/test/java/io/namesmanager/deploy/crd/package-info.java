/**
 * Project-owned models of the custom resources the repository uses, for strict validation.
 *
 * <p>No Maven Central artifact models Sealed Secrets, and none models Argo CD strictly (see README.md). These records
 * hold the fields of each CRD's schema that this project uses or may plausibly use, with the same names, types and
 * required marks ({@link io.namesmanager.deploy.crd.Required}) as the CRDs (Sealed Secrets v0.3x
 * {@code bitnami.com/v1alpha1}, Argo CD v3 {@code argoproj.io/v1alpha1}). {@code metadata} is the Kubernetes
 * {@code V1ObjectMeta}. A field missing here fails validation as "unknown": add it from the CRD's schema when the
 * project starts using it; that keeps a typo from passing as a new field. {@code Object} means "any value".
 */
package io.namesmanager.deploy.crd;
