/*
 * wharf-launch: the front of bin/wharf. A JVM takes ~90 ms here to start before it runs a line of
 * the CLI; wharfd is a JVM that is already running. So this asks the daemon the command line is
 * for to run it (POST /_wharf/cli, dev.wharf.daemon.route.CliRoutes) and relays what comes back:
 * standard output, standard error, the exit code. The daemon runs only lines that read no local
 * file or standard input and need no terminal; for every other line, and whenever the daemon is
 * not reachable over a unix socket or does not take the line, this runs the script it was given
 * with WHARF_LAUNCHER=off, which starts the CLI's own JVM. So the output is always the CLI's.
 *
 *   wharf-launch SCRIPT [ARG...]
 *
 * SIGINT and SIGTERM are forwarded to the daemon as one byte each: a command that proxies them
 * to its container (an attached run) takes them; for any other the daemon answers that this
 * process should end by the signal, as the CLI's JVM would. When this process ends, its
 * connection closes and the daemon interrupts the command.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

extern char **environ;

static int sock = -1;

static void fall_back(char **argv) {
    if (sock >= 0) {
        close(sock);
    }
    setenv("WHARF_LAUNCHER", "off", 1);
    execv(argv[1], argv + 1);
    fprintf(stderr, "wharf: cannot run %s: %s\n", argv[1], strerror(errno));
    exit(125);
}

/* The daemon's address, as dev.wharf.cli.Main reads it: -H/--host before the subcommand, then
 * WHARF_HOST, then DOCKER_HOST, then the default. */
static const char *host_of(int argc, char **argv) {
    const char *host = NULL;
    for (int i = 2; i < argc && argv[i][0] == '-' && strcmp(argv[i], "-") != 0; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-H") == 0 || strcmp(a, "--host") == 0) {
            if (i + 1 < argc) {
                host = argv[++i];
            }
        } else if (strncmp(a, "--host=", 7) == 0) {
            host = a + 7;
        } else if (strncmp(a, "-H", 2) == 0) {
            host = a + 2;
        } else if (strcmp(a, "-l") == 0 || strcmp(a, "--log-level") == 0) {
            i++;
        }
    }
    if (host == NULL || *host == '\0') {
        host = getenv("WHARF_HOST");
    }
    if (host == NULL || *host == '\0') {
        host = getenv("DOCKER_HOST");
    }
    if (host == NULL || *host == '\0') {
        host = "unix:///run/wharf/wharf.sock";
    }
    return host;
}

/* A growable byte buffer; exits on allocation failure (nothing has been sent yet at that point). */
struct buf {
    char *p;
    size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 256;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL) {
            fprintf(stderr, "wharf: out of memory\n");
            exit(125);
        }
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void put_field(struct buf *b, const char *s) {
    put(b, s, strlen(s) + 1);
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

/* Bytes read from the socket with the response head but not yet consumed. */
static char *pending;
static size_t npending;

/* Reads exactly n bytes, the pending ones first; 0 on success, -1 at the end of the stream or on an error. */
static int read_full(int fd, char *p, size_t n) {
    size_t k = n < npending ? n : npending;
    memcpy(p, pending, k);
    pending += k;
    npending -= k;
    p += k;
    n -= k;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return -1;
        }
        p += r;
        n -= (size_t) r;
    }
    return 0;
}

static void forward_signal(int sig) {
    int saved = errno;
    char b = (char) sig;
    if (sock >= 0) {
        (void) !write(sock, &b, 1);
    }
    errno = saved;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: wharf-launch SCRIPT [ARG...]\n");
        return 125;
    }
    const char *host = host_of(argc, argv);
    if (strncmp(host, "unix://", 7) != 0) {
        fall_back(argv);
    }
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(host + 7) >= sizeof addr.sun_path) {
        fall_back(argv);
    }
    strcpy(addr.sun_path, host + 7);
    sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *) &addr, sizeof addr) != 0) {
        fall_back(argv);
    }

    struct buf body = {0};
    char num[32];
    put_field(&body, "1");
    snprintf(num, sizeof num, "%s%s", isatty(0) ? "i" : "", isatty(1) ? "o" : "");
    put_field(&body, num);
    snprintf(num, sizeof num, "%d", argc - 2);
    put_field(&body, num);
    for (int i = 2; i < argc; i++) {
        put_field(&body, argv[i]);
    }
    for (char **e = environ; *e != NULL; e++) {
        put_field(&body, *e);
    }
    char head[256];
    int hn = snprintf(head, sizeof head,
            "POST /_wharf/cli HTTP/1.1\r\nHost: wharf\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
            "Content-Type: application/octet-stream\r\nContent-Length: %zu\r\n\r\n", body.len);
    signal(SIGPIPE, SIG_IGN);
    if (write_all(sock, head, (size_t) hn) != 0 || write_all(sock, body.p, body.len) != 0) {
        fall_back(argv);
    }

    /* The response head; what came with it is the start of the stream. */
    static char resp[1 << 16];
    size_t rn = 0;
    char *end = NULL;
    while (end == NULL) {
        ssize_t r = rn == sizeof resp ? 0 : read(sock, resp + rn, sizeof resp - rn);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            fall_back(argv);
        }
        rn += (size_t) r;
        end = memmem(resp, rn, "\r\n\r\n", 4);
    }
    if (end - resp < 12 || memcmp(resp, "HTTP/1.1 101", 12) != 0) {
        fall_back(argv);
    }
    pending = end + 4;
    npending = rn - (size_t) (pending - resp);

    struct sigaction sa = {0};
    sa.sa_handler = forward_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGINT, SIGTERM};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        /* one ignored when this started (a background job of a script ignores INT) stays ignored, as
           the CLI's JVM and the shells leave it */
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler != SIG_IGN) {
            sigaction(sigs[i], &sa, NULL);
        }
    }

    static char data[1 << 16];
    for (;;) {
        unsigned char fh[8];
        if (read_full(sock, (char *) fh, 8) != 0) {
            fprintf(stderr, "wharf: the daemon closed the connection before the command ended\n");
            return 1;
        }
        uint32_t len = (uint32_t) fh[4] << 24 | (uint32_t) fh[5] << 16 | (uint32_t) fh[6] << 8 | fh[7];
        if (fh[0] == 4) {
            /* the command does not handle the signal forwarded: end by it, as the CLI's JVM would */
            unsigned char sig;
            if (len != 1 || read_full(sock, (char *) &sig, 1) != 0) {
                return 1;
            }
            signal(sig, SIG_DFL);
            raise(sig);
            return 128 + sig;
        }
        if (fh[0] == 3) {
            unsigned char c[4];
            if (len != 4 || read_full(sock, (char *) c, 4) != 0) {
                return 1;
            }
            return (int) ((uint32_t) c[0] << 24 | (uint32_t) c[1] << 16 | (uint32_t) c[2] << 8 | c[3]);
        }
        int fd = fh[0] == 2 ? 2 : 1;
        while (len > 0) {
            size_t n = len < sizeof data ? len : sizeof data;
            if (read_full(sock, data, n) != 0) {
                fprintf(stderr, "wharf: the daemon closed the connection before the command ended\n");
                return 1;
            }
            if (write_all(fd, data, n) != 0) {
                /* the reader of our output is gone (`wharf logs -f | head`): end, and the daemon ends the command */
                return 1;
            }
            len -= (uint32_t) n;
        }
    }
}
