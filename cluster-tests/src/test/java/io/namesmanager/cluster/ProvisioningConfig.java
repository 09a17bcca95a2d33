package io.namesmanager.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The pins of the Vagrant lab (scripts/vagrant/config.sh), read by sourcing the file as provisioning does. */
final class ProvisioningConfig {

    private ProvisioningConfig() {
    }

    static String value(String variable) {
        if (!variable.matches("[A-Z0-9_]+")) {
            throw new IllegalArgumentException(variable);
        }
        return Run.of(List.of("bash", "-c", ". scripts/vagrant/config.sh && printf %s \"$" + variable + "\""),
                      Map.of(), Repo.root(), "", Duration.ofSeconds(10)).ok();
    }
}
