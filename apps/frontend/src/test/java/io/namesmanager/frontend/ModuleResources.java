package io.namesmanager.frontend;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Both modules ship an {@code application.yaml} and the tests have both on one class path, so a plain class-path
 * lookup would hand one module the other's file. This finds the file inside the jar or classes directory of the
 * module that holds a given class.
 */
public final class ModuleResources {
    private ModuleResources() {
    }

    /**
     * URL of a resource in the same jar or directory as a class.
     *
     * @param anchor a class of the module
     * @param name   resource name relative to the module's root, e.g. {@code application.yaml}
     * @return the resource's URL
     */
    public static URL resource(Class<?> anchor, String name) {
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return location.resolve(name).toUri().toURL();
            }
            return URI.create("jar:" + location.toUri() + "!/" + name).toURL();
        } catch (URISyntaxException | MalformedURLException e) {
            throw new IllegalStateException("Cannot locate " + name + " next to " + anchor.getName(), e);
        }
    }
}
