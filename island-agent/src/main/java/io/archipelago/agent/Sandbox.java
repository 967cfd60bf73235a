package io.archipelago.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where process Cargos run: bubblewrap with every namespace unshared (no network, no view of the host's processes
 * or files beyond a read-only /usr), a fresh /tmp, a cleared environment, and a seccomp filter that refuses the
 * system calls a workload has no business making (ptrace, mount, namespaces, kernel modules, keyrings, BPF,
 * sockets…). The filter is compiled once by python3-seccomp. Without bubblewrap or python3-seccomp there is no
 * sandbox, and the agent refuses process Cargos rather than run them bare.
 */
final class Sandbox {

    static final List<String> DENIED_SYSCALLS = List.of("ptrace", "mount", "umount2", "pivot_root", "chroot",
            "reboot", "kexec_load", "init_module", "finit_module", "delete_module", "swapon", "swapoff", "keyctl",
            "add_key", "request_key", "bpf", "perf_event_open", "unshare", "setns", "personality",
            "process_vm_readv", "process_vm_writev", "socket", "socketpair");

    private static final String BWRAP = "/usr/bin/bwrap";
    private static final String PYTHON = "/usr/bin/python3";

    private final Path filter;

    private Sandbox(Path filter) {
        this.filter = filter;
    }

    /** The sandbox, with its seccomp filter compiled into {@code workDir}, or empty when this machine has none. */
    static Optional<Sandbox> detect(Path workDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BWRAP)) || !Files.isExecutable(Path.of(PYTHON))) {
            return Optional.empty();
        }
        Path filter = workDir.resolve("seccomp.bpf");
        String program = "import seccomp, sys\n"
                + "f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)\n"
                + "for name in sys.argv[2:]:\n"
                + "    f.add_rule(seccomp.ERRNO(1), name)\n"
                + "with open(sys.argv[1], 'wb') as out:\n"
                + "    f.export_bpf(out)\n";
        List<String> command = new ArrayList<>(List.of(PYTHON, "-c", program, filter.toString()));
        command.addAll(DENIED_SYSCALLS);
        Process compile = new ProcessBuilder(command).redirectErrorStream(true).start();
        compile.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (!compile.waitFor(30, TimeUnit.SECONDS) || compile.exitValue() != 0 || !Files.exists(filter)) {
            return Optional.empty();
        }
        return Optional.of(new Sandbox(filter));
    }

    /** The command that runs {@code executable} inside the sandbox; the filter goes to bubblewrap on fd 3. */
    List<String> command(Path executable) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec 3< \"$0\"; exec \"$@\"",
                filter.toString(), BWRAP, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
                "--setenv", "PATH", "/usr/bin", "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin",
                "--symlink", "usr/lib", "/lib"));
        if (Files.isDirectory(Path.of("/usr/lib64"))) {
            command.addAll(List.of("--symlink", "usr/lib64", "/lib64"));
        }
        command.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", "/tmp",
                "--ro-bind", executable.toString(), "/cargo/run", "--seccomp", "3", "/cargo/run"));
        return command;
    }
}
