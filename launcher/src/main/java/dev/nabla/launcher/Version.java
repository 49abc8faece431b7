package dev.nabla.launcher;

import picocli.CommandLine.IVersionProvider;

/** {@code nabla --version}: the launcher's version and the JVM it runs on. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getModule().getDescriptor() == null ? null
                : Version.class.getModule().getDescriptor().rawVersion().orElse(null);
        return new String[] {"nabla " + (v == null ? "0.1.0-SNAPSHOT" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
