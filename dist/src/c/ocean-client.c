/*
 * ocean-client: the native front of `ocean` (bin/ocean execs it). It hands the command line to the
 * user's resident CLI daemon over a Unix socket and relays the answer, so a command costs
 * milliseconds instead of a JVM start. When there is no daemon it starts one, detached, and runs
 * this command in its own JVM as before; when the daemon answers "run it yourself" (prompts,
 * terminals, --follow, ...) it does the same. libc only, no shell: the JVM path is bin/ocean itself,
 * exec'd with OCEAN_LAUNCH_JVM set.
 *
 * Frames both ways: one type byte, a big-endian 32-bit length, that many bytes (at most 1 MiB).
 * The daemon side is dev.ocean.cli.daemon (Frames.java names the types).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_FRAME (1 << 20)
#define STDIN_CHUNK (64 * 1024)

extern char **environ;

static char launcher[PATH_MAX];

/* Runs this command in a JVM: bin/ocean again, told to skip the client. */
static void run_jvm(char **argv) {
  signal(SIGPIPE, SIG_DFL);
  setenv("OCEAN_LAUNCH_JVM", "1", 1);
  argv[0] = launcher;
  execv(launcher, argv);
  fprintf(stderr, "ocean: cannot run %s: %s\n", launcher, strerror(errno));
  exit(1);
}

static int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Reads exactly len bytes; -1 on error or end of stream. */
static int read_all(int fd, void *buf, size_t len) {
  char *p = buf;
  while (len > 0) {
    ssize_t n = read(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static int send_frame(int fd, char type, const void *data, size_t len) {
  if (len > MAX_FRAME) return -1;
  unsigned char head[5] = {(unsigned char)type, (unsigned char)(len >> 24),
                           (unsigned char)(len >> 16), (unsigned char)(len >> 8),
                           (unsigned char)len};
  if (write_all(fd, head, sizeof head) < 0) return -1;
  return len == 0 ? 0 : write_all(fd, data, len);
}

static int send_string(int fd, char type, const char *s) {
  return send_frame(fd, type, s, strlen(s));
}

/*
 * The user's private directory: $XDG_RUNTIME_DIR/ocean, else /tmp/ocean-$UID; made 0700 when
 * missing, and refused unless it is a real directory of this user closed to everyone else.
 */
static int private_dir(char *out, size_t cap) {
  const char *runtime = getenv("XDG_RUNTIME_DIR");
  int n = runtime && *runtime ? snprintf(out, cap, "%s/ocean", runtime)
                              : snprintf(out, cap, "/tmp/ocean-%u", (unsigned)geteuid());
  if (n < 0 || (size_t)n >= cap) return -1;
  if (mkdir(out, 0700) != 0 && errno != EEXIST) return -1;
  struct stat st;
  if (lstat(out, &st) != 0) return -1;
  if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0) return -1;
  return 0;
}

/* The release's build id (lib/cli/build-id, hex written at build time); -1 when missing. */
static int build_id(const char *home, char *out, size_t cap) {
  char path[PATH_MAX];
  if (snprintf(path, sizeof path, "%s/lib/cli/build-id", home) >= (int)sizeof path) return -1;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n;
  do n = read(fd, out, cap - 1);
  while (n < 0 && errno == EINTR);
  close(fd);
  if (n <= 0) return -1;
  out[n] = 0;
  size_t len = strspn(out, "0123456789abcdef");
  if (len == 0 || len > 64) return -1;
  out[len] = 0;
  return 0;
}

/* Starts a daemon detached from this terminal and session; its output goes to a 0600 log. */
static void start_daemon(const char *dir, const char *id) {
  pid_t pid = fork();
  if (pid < 0) return;
  if (pid == 0) {
    if (setsid() < 0) _exit(1);
    pid_t again = fork();
    if (again != 0) _exit(again < 0);
    char log[PATH_MAX];
    int lf = -1;
    if (snprintf(log, sizeof log, "%s/cli-%s.log", dir, id) < (int)sizeof log)
      lf = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (lf < 0) lf = open("/dev/null", O_WRONLY | O_CLOEXEC);
    int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (lf < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(lf, 1) < 0 || dup2(lf, 2) < 0) _exit(1);
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++) close((int)fd);
    if (chdir("/") != 0) _exit(1);
    signal(SIGPIPE, SIG_DFL);
    setenv("OCEAN_LAUNCH_JVM", "daemon", 1);
    unsetenv("OCEAN_STARTUP_MARKS");
    char *args[] = {launcher, "daemon", "serve", NULL};
    execv(launcher, args);
    _exit(127);
  }
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
  }
}

static int send_request(int fd, int argc, char **argv) {
  const char *codeset = nl_langinfo(CODESET);
  if (send_string(fd, 'c', codeset ? codeset : "") < 0) return -1;
  for (int i = 1; i < argc; i++)
    if (send_string(fd, 'a', argv[i]) < 0) return -1;
  for (char **e = environ; *e; e++)
    if (send_string(fd, 'e', *e) < 0) return -1;
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd) || send_string(fd, 'd', cwd) < 0) return -1;
  struct winsize ws;
  unsigned width = 0;
  if (ioctl(1, TIOCGWINSZ, &ws) == 0 || ioctl(2, TIOCGWINSZ, &ws) == 0 ||
      ioctl(0, TIOCGWINSZ, &ws) == 0)
    width = ws.ws_col;
  unsigned char tty[7] = {(unsigned char)isatty(0), (unsigned char)isatty(1),
                          (unsigned char)isatty(2), (unsigned char)(width >> 24),
                          (unsigned char)(width >> 16), (unsigned char)(width >> 8),
                          (unsigned char)width};
  if (send_frame(fd, 't', tty, sizeof tty) < 0) return -1;
  return send_frame(fd, 'g', NULL, 0);
}

/* Standard output is gathered and written in large pieces, as a JVM's buffered stream writes it:
   `ocean job list | head -1` then writes its whole answer at once and exits 0, instead of meeting
   the pipe that head closed with the answer's next line (141 about half the time, qa7 K16). It is
   written before anything on stderr, before reading stdin, and at the end, so order is kept. */
static unsigned char out_buf[STDIN_CHUNK];
static size_t out_len;
static int out_ok = 1;
static int out_errno; /* why standard output failed, other than its reader going away */

/* Writes what is gathered; 141 when the reader went away (as SIGPIPE would end it), else 0. */
static int flush_out(void) {
  int rc = 0;
  if (out_ok && out_len > 0 && write_all(1, out_buf, out_len) < 0) {
    if (errno == EPIPE) rc = 141;
    else out_errno = errno;
    out_ok = 0;
  }
  out_len = 0;
  return rc;
}

/* Relays the daemon's frames until the exit code; returns it, or -1 when the daemon went away. */
static int relay(int fd, char **argv, int *answered) {
  static unsigned char buf[MAX_FRAME];
  int err_ok = 1;
  for (;;) {
    unsigned char head[5];
    if (read_all(fd, head, sizeof head) < 0) {
      flush_out();
      return -1;
    }
    uint32_t len = (uint32_t)head[1] << 24 | (uint32_t)head[2] << 16 | (uint32_t)head[3] << 8 |
                   (uint32_t)head[4];
    if (len > MAX_FRAME || read_all(fd, buf, len) < 0) return -1;
    uint32_t value = len >= 4 ? (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 |
                                    (uint32_t)buf[2] << 8 | (uint32_t)buf[3]
                              : 0;
    switch (head[0]) {
      case 'B':
        *answered = 1;
        break;
      case 'O':
        *answered = 1;
        if (out_len + len > sizeof out_buf && flush_out() == 141) return 141;
        if (len > sizeof out_buf) {
          /* the reader went away (`ocean logs J | head`): end as SIGPIPE would, which also
             ends the command in the daemon; other failures drop the output, as before */
          if (out_ok && write_all(1, buf, len) < 0) {
            if (errno == EPIPE) return 141;
            out_errno = errno;
            out_ok = 0;
          }
        } else {
          memcpy(out_buf + out_len, buf, len);
          out_len += len;
        }
        break;
      case 'E':
        *answered = 1;
        if (flush_out() == 141) return 141;
        if (err_ok && write_all(2, buf, len) < 0) err_ok = 0;
        break;
      case 'R': {
        *answered = 1;
        if (flush_out() == 141) return 141;
        size_t want = value < STDIN_CHUNK ? value : STDIN_CHUNK;
        ssize_t n;
        do n = read(0, buf, want);
        while (n < 0 && errno == EINTR);
        if (send_frame(fd, 'i', buf, n > 0 ? (size_t)n : 0) < 0) return -1;
        break;
      }
      case 'X':
        if (flush_out() == 141) return 141;
        if (out_errno && (value & 0xff) == 0) {
          /* as the command's own JVM says it (qa7 K17): a cut file is no success */
          fputs("Error: cannot write standard output.\n", stderr);
          return 1;
        }
        return (int)(value & 0xff);
      case 'J':
        flush_out();
        close(fd);
        run_jvm(argv);
        return -1;
      default:
        flush_out();
        return -1;
    }
  }
}

int main(int argc, char **argv) {
  const char *l = getenv("OCEAN_LAUNCHER");
  const char *home_env = getenv("OCEAN_HOME");
  if (!l || !home_env || strlen(l) >= sizeof launcher) {
    fprintf(stderr, "ocean-client: run it as bin/ocean\n");
    return 1;
  }
  strcpy(launcher, l);
  char home[PATH_MAX];
  snprintf(home, sizeof home, "%s", home_env);
  unsetenv("OCEAN_LAUNCHER");
  unsetenv("OCEAN_HOME");
  /* OCEAN_NO_DAEMON=1 (any value but empty, 0 or false) turns the daemon off */
  const char *no_daemon = getenv("OCEAN_NO_DAEMON");
  if (no_daemon && *no_daemon && strcmp(no_daemon, "0") != 0 &&
      strcasecmp(no_daemon, "false") != 0)
    run_jvm(argv);
  setlocale(LC_CTYPE, "");

  char dir[PATH_MAX], id[80];
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (private_dir(dir, sizeof dir) < 0 || build_id(home, id, sizeof id) < 0 ||
      snprintf(addr.sun_path, sizeof addr.sun_path, "%s/cli-%s.sock", dir, id) >=
          (int)sizeof addr.sun_path)
    run_jvm(argv);

  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) run_jvm(argv);
  int rc;
  do rc = connect(fd, (struct sockaddr *)&addr, sizeof addr);
  while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    close(fd);
    /* `ocean daemon status|stop` (also after global options) ask for a daemon; they start none */
    int asks = 0;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
      if (strcmp(argv[i], "daemon") == 0) asks = 1;
    if (!asks) start_daemon(dir, id);
    run_jvm(argv);
  }
  signal(SIGPIPE, SIG_IGN);
  int answered = 0;
  int code = send_request(fd, argc, argv) < 0 ? -1 : relay(fd, argv, &answered);
  if (code < 0) {
    close(fd);
    if (!answered) run_jvm(argv); /* the daemon ended before the command began */
    fprintf(stderr, "ocean: the daemon went away during the command; see `ocean daemon status`\n");
    return 1;
  }
  return code;
}
