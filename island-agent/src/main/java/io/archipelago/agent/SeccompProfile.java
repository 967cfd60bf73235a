package io.archipelago.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.protocol.Codec;
import java.util.List;

/**
 * The seccomp profile of container Cargos, in runc's {@code linux.seccomp} form: deny by default (EPERM), allow
 * the system calls an ordinary Linux program makes to compute, read its input and write its output. Left out, so
 * refused: namespaces ({@code unshare}, {@code setns}, {@code clone} with a {@code CLONE_NEW*} flag), mounts,
 * {@code chroot}, {@code ptrace} and reading other processes' memory, BPF, perf, keyrings, kernel modules, kexec,
 * reboot, swap, clocks, io_uring, userfaultfd, {@code mknod}, file handles, {@code personality}; sockets other than
 * Unix ones.
 */
final class SeccompProfile {

    static final List<String> ALLOWED = List.of("accept", "accept4", "access", "alarm", "arch_prctl", "bind", "brk",
            "capget", "capset", "chdir", "chmod", "chown", "clock_getres", "clock_gettime", "clock_nanosleep",
            "close", "close_range", "connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create",
            "epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_pwait2", "epoll_wait", "eventfd", "eventfd2",
            "execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fallocate",
            "fchdir", "fchmod", "fchmodat", "fchown", "fchownat", "fcntl", "fdatasync", "fgetxattr", "flistxattr",
            "flock", "fork", "fremovexattr", "fsetxattr", "fstat", "fstatfs", "fsync", "ftruncate", "futex",
            "futex_waitv", "get_robust_list", "getcpu", "getcwd", "getdents", "getdents64", "getegid", "geteuid",
            "getgid", "getgroups", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid",
            "getpriority", "getrandom", "getresgid", "getresuid", "getrlimit", "getrusage", "getsid", "getsockname",
            "getsockopt", "gettid", "gettimeofday", "getuid", "getxattr", "inotify_add_watch", "inotify_init",
            "inotify_init1", "inotify_rm_watch", "ioctl", "kill", "lchown", "lgetxattr", "link", "linkat", "listen",
            "listxattr", "llistxattr", "lremovexattr", "lseek", "lsetxattr", "lstat", "madvise", "membarrier",
            "memfd_create", "mincore", "mkdir", "mkdirat", "mlock", "mlock2", "mlockall", "mmap", "mprotect",
            "mremap", "msync", "munlock", "munlockall", "munmap", "nanosleep", "newfstatat", "open", "openat",
            "openat2", "pause", "pipe", "pipe2", "poll", "ppoll", "prctl", "pread64", "preadv", "preadv2",
            "prlimit64", "pselect6", "pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink",
            "readlinkat", "readv", "recvfrom", "recvmmsg", "recvmsg", "rename", "renameat", "renameat2",
            "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask",
            "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_tgsigqueueinfo",
            "sched_get_priority_max", "sched_get_priority_min", "sched_getaffinity", "sched_getattr",
            "sched_getparam", "sched_getscheduler", "sched_rr_get_interval", "sched_setaffinity", "sched_setattr",
            "sched_setparam", "sched_setscheduler", "sched_yield", "select", "sendfile", "sendmmsg", "sendmsg",
            "sendto", "set_robust_list", "set_tid_address", "setfsgid", "setfsuid", "setgid", "setgroups",
            "setitimer", "setpgid", "setpriority", "setregid", "setresgid", "setresuid", "setreuid", "setrlimit",
            "setsid", "setsockopt", "setuid", "setxattr", "shutdown", "sigaltstack", "signalfd", "signalfd4",
            "splice", "stat", "statfs", "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs",
            "sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime",
            "timer_settime", "timerfd_create", "timerfd_gettime", "timerfd_settime", "times", "tkill", "truncate",
            "umask", "uname", "unlink", "unlinkat", "utime", "utimensat", "utimes", "vfork", "wait4", "waitid",
            "write", "writev");

    /** {@code CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET}: the namespace flags. */
    private static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;
    private static final int AF_UNIX = 1;
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    private SeccompProfile() {
    }

    /** The profile as the {@code linux.seccomp} object of a runc {@code config.json}. */
    static ObjectNode json() {
        ObjectNode seccomp = Codec.json().createObjectNode()
                .put("defaultAction", "SCMP_ACT_ERRNO")
                .put("defaultErrnoRet", EPERM);
        // only the native architecture: a 32-bit system call (int 0x80) matches no rule and is refused
        seccomp.putArray("architectures").add("SCMP_ARCH_X86_64");
        ArrayNode syscalls = seccomp.putArray("syscalls");
        ObjectNode allowed = syscalls.addObject().put("action", "SCMP_ACT_ALLOW");
        ALLOWED.forEach(allowed.putArray("names")::add);
        ObjectNode clone = syscalls.addObject().put("action", "SCMP_ACT_ALLOW");
        clone.putArray("names").add("clone");
        clone.putArray("args").addObject().put("index", 0).put("value", CLONE_NAMESPACE_FLAGS).put("valueTwo", 0)
                .put("op", "SCMP_CMP_MASKED_EQ");
        // without clone3 (its flags sit in memory a filter cannot read) the C library falls back to clone
        ObjectNode clone3 = syscalls.addObject().put("action", "SCMP_ACT_ERRNO").put("errnoRet", ENOSYS);
        clone3.putArray("names").add("clone3");
        ObjectNode unixSockets = syscalls.addObject().put("action", "SCMP_ACT_ALLOW");
        unixSockets.putArray("names").add("socket").add("socketpair");
        unixSockets.putArray("args").addObject().put("index", 0).put("value", AF_UNIX).put("op", "SCMP_CMP_EQ");
        return seccomp;
    }
}
