/*
 * netkeeper: the CNI plugin a runtime executes ("type": "netkeeper" in a network configuration).
 *
 * A thin shim: it does no networking. It forwards the CNI environment (as headers) and the configuration on
 * stdin (as the body) to the netkeeper agent's local API, POST /v1/cni on its unix socket, prints the answer on
 * stdout and exits 0 when the agent says 200, else 1 (CNI SPEC "Result": an error is printed too). The agent
 * keeps the state: journaled, audited, recovered.
 *
 * VERSION is answered here: runtimes call it with {"cniVersion": ...} alone, which names no socket (the list is
 * the agent's CniConfig.SUPPORTED_VERSIONS; a test holds the two equal).
 *
 * The socket is the configuration's top-level "socket", else DEFAULT_SOCKET. When the agent cannot be reached,
 * a DEL is written durably to the spool (top-level "spool", else DEFAULT_SPOOL) for the agent to replay, and
 * succeeds; every other command fails with error 11 (try again later; STATUS: 50, not available).
 *
 * Why C: the runtime pays this program's start on every container operation. A JVM starts in 0.3-1 s and a
 * shell calling curl in several ms; this starts, connects and exits in well under a millisecond.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/netkeeper/netkeeper.sock"
#define DEFAULT_SPOOL "/var/lib/netkeeper/cni-spool"
#define MAX_CONFIG (4 << 20)
#define MAX_ANSWER (16 << 20)
#define ANSWER_TIMEOUT_SECONDS 120

/* CNI SPEC "Error" codes the shim answers itself. */
#define CNI_INVALID_ENVIRONMENT 4
#define CNI_IO_FAILURE 5
#define CNI_DECODING_FAILURE 6
#define CNI_INVALID_CONFIG 7
#define CNI_TRY_AGAIN_LATER 11
#define CNI_NOT_AVAILABLE 50

/* Each CNI_ variable and the header it travels as (the agent's CniCall.HEADERS). */
static const char *const VARIABLES[][2] = {
    {"CNI_COMMAND", "CNI-Command"},   {"CNI_CONTAINERID", "CNI-ContainerID"},
    {"CNI_NETNS", "CNI-Netns"},       {"CNI_IFNAME", "CNI-Ifname"},
    {"CNI_ARGS", "CNI-Args"},         {"CNI_PATH", "CNI-Path"},
};
#define VARIABLE_COUNT (sizeof(VARIABLES) / sizeof(VARIABLES[0]))

struct buffer {
    char *data;
    size_t len;
    size_t cap;
};

static char version[32] = "1.0.0";

/* The CNI versions this plugin speaks, oldest first. */
static const char *const SUPPORTED_VERSIONS[] = {"0.4.0", "1.0.0", "1.1.0"};
#define SUPPORTED_COUNT (sizeof(SUPPORTED_VERSIONS) / sizeof(SUPPORTED_VERSIONS[0]))

/* VERSION: in the version asked for when it is one of ours, else the newest. */
static int answer_version(void) {
    const char *answer = SUPPORTED_VERSIONS[SUPPORTED_COUNT - 1];
    for (size_t i = 0; i < SUPPORTED_COUNT; i++) {
        if (strcmp(version, SUPPORTED_VERSIONS[i]) == 0) answer = SUPPORTED_VERSIONS[i];
    }
    printf("{\"cniVersion\":\"%s\",\"supportedVersions\":[", answer);
    for (size_t i = 0; i < SUPPORTED_COUNT; i++) printf("%s\"%s\"", i ? "," : "", SUPPORTED_VERSIONS[i]);
    printf("]}\n");
    return 0;
}

/* Prints a CNI error (msg must be JSON-safe: the shim's own text, with any variable part escaped) and exits 1. */
static void fail(int code, const char *msg) {
    printf("{\"cniVersion\":\"%s\",\"code\":%d,\"msg\":\"%s\"}\n", version, code, msg);
    exit(1);
}

/* msg built from a format, its arguments escaped for JSON (quotes, backslashes, control characters dropped). */
static void failf(int code, const char *format, const char *arg) {
    char clean[512];
    size_t j = 0;
    for (const char *p = arg; *p && j + 2 < sizeof(clean); p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20) continue;
        if (c == '"' || c == '\\') clean[j++] = '\\';
        clean[j++] = (char)c;
    }
    clean[j] = 0;
    char msg[1024];
    snprintf(msg, sizeof(msg), format, clean);
    fail(code, msg);
}

static void append(struct buffer *b, const char *data, size_t len) {
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len + 1) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) fail(CNI_IO_FAILURE, "out of memory");
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = 0;
}

static void append_text(struct buffer *b, const char *text) { append(b, text, strlen(text)); }

static void read_all(int fd, struct buffer *b, size_t limit, const char *what) {
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n == 0) return;
        if (n < 0) {
            if (errno == EINTR) continue;
            failf(CNI_IO_FAILURE, "cannot read %s", what);
        }
        if (b->len + (size_t)n > limit) failf(CNI_DECODING_FAILURE, "%s is too large", what);
        append(b, chunk, (size_t)n);
    }
}

static void write_all(int fd, const char *data, size_t len, const char *what) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            failf(CNI_IO_FAILURE, "cannot write %s", what);
        }
        data += n;
        len -= (size_t)n;
    }
}

/* The index just past the JSON string that starts at s[i] (a quote). */
static size_t skip_string(const char *s, size_t n, size_t i) {
    for (i++; i < n; i++) {
        if (s[i] == '\\') i++;
        else if (s[i] == '"') return i + 1;
    }
    return n;
}

/* Decodes the JSON string at s[i] into out; 0 when it is not one this shim takes (non-ASCII escapes, too long). */
static int decode_string(const char *s, size_t n, size_t i, char *out, size_t outlen) {
    size_t j = 0;
    for (i++; i < n; i++) {
        char c = s[i];
        if (c == '"') {
            out[j] = 0;
            return 1;
        }
        if (c == '\\') {
            if (++i >= n) return 0;
            switch (s[i]) {
                case '"': case '\\': case '/': c = s[i]; break;
                default: return 0; /* a path with \n, \t or \u has no business here */
            }
        }
        if (j + 1 >= outlen) return 0;
        out[j++] = c;
    }
    return 0;
}

/* The top-level string field key of the JSON object in s, into out: 1; 0 when there is none; -1 when it is there
 * but not a string this shim takes (not a string, too long, escapes other than \" \\ \/). */
static int top_level_string(const char *s, size_t n, const char *key, char *out, size_t outlen) {
    size_t klen = strlen(key);
    int depth = 0;
    char previous = 0;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '"') {
            size_t start = i;
            i = skip_string(s, n, i);
            if (depth == 1 && (previous == '{' || previous == ',')) {
                size_t j = i;
                while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r')) j++;
                if (j < n && s[j] == ':') {
                    j++;
                    while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r')) j++;
                    if (i - start - 2 == klen && memcmp(s + start + 1, key, klen) == 0) {
                        return j < n && s[j] == '"' && decode_string(s, n, j, out, outlen) ? 1 : -1;
                    }
                }
            }
            previous = '"';
            continue;
        }
        if (c == '{' || c == '[') depth++;
        else if (c == '}' || c == ']') depth--;
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') previous = c;
        i++;
    }
    return 0;
}

/* Whether s is one JSON object as far as brackets go (the agent finds any other fault): else there is no socket to trust. */
static int looks_like_object(const char *s, size_t n) {
    int depth = 0;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    if (i >= n || s[i] != '{') return 0;
    for (; i < n; i++) {
        if (s[i] == '"') {
            i = skip_string(s, n, i) - 1;
            continue;
        }
        if (s[i] == '{' || s[i] == '[') depth++;
        else if ((s[i] == '}' || s[i] == ']') && --depth == 0) break;
    }
    for (i++; i < n; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return 0;
    }
    return depth == 0;
}

/* "Name: value\r\n" (eol "\r\n") or "Name: value\n" for every CNI_ variable that is set. */
static void variables_as_headers(struct buffer *b, const char *eol) {
    for (size_t v = 0; v < VARIABLE_COUNT; v++) {
        const char *value = getenv(VARIABLES[v][0]);
        if (!value) continue;
        if (strpbrk(value, "\r\n")) failf(CNI_INVALID_ENVIRONMENT, "%s holds a line break", VARIABLES[v][0]);
        append_text(b, VARIABLES[v][1]);
        append_text(b, ": ");
        append_text(b, value);
        append_text(b, eol);
    }
}

static void sync_directory(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) failf(CNI_IO_FAILURE, "cannot sync the spool %s", dir);
    close(fd);
}

/* The DEL, durably in the spool: written to a temporary file, fsynced, renamed, the directory fsynced. */
static void spool_del(const char *spool, const struct buffer *config) {
    if (mkdir(spool, 0700) != 0 && errno != EEXIST) failf(CNI_IO_FAILURE, "cannot make the spool %s", spool);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long ns = (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
    char tmp[4200], entry[4200];
    snprintf(tmp, sizeof(tmp), "%s/.%019lld-%d.tmp", spool, ns, (int)getpid());
    snprintf(entry, sizeof(entry), "%s/%019lld-%d.del", spool, ns, (int)getpid());
    struct buffer text = {0};
    variables_as_headers(&text, "\n");
    char stamp[64];
    snprintf(stamp, sizeof(stamp), "CNI-Spooled-At: %lld\n\n", ns);
    append_text(&text, stamp);
    append(&text, config->data ? config->data : "", config->len);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) failf(CNI_IO_FAILURE, "cannot write to the spool %s", spool);
    write_all(fd, text.data, text.len, "the spool entry");
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, entry) != 0) {
        unlink(tmp);
        failf(CNI_IO_FAILURE, "cannot write to the spool %s", spool);
    }
    sync_directory(spool);
}

/*
 * Connects to the agent, sends the request and reads the whole answer (HTTP/1.0: until the agent closes):
 * 0, or -1 when the connection could not be made or broke; *connected says whether it was made.
 */
static int exchange(const char *socket_path, const struct buffer *request, struct buffer *answer, int *connected) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof(address.sun_path), "%s", socket_path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof(address)) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    *connected = 1;
    struct timeval timeout = {.tv_sec = ANSWER_TIMEOUT_SECONDS};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    const char *data = request->data;
    size_t len = request->len;
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            close(fd);
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n == 0) break;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || answer->len + (size_t)n > MAX_ANSWER) {
            close(fd);
            return -1;
        }
        append(answer, chunk, (size_t)n);
    }
    close(fd);
    return 0;
}

int main(void) {
    signal(SIGPIPE, SIG_IGN); /* a broken connection is an error to handle (a DEL is spooled), not a death */
    struct buffer config = {0};
    read_all(STDIN_FILENO, &config, MAX_CONFIG, "the network configuration");
    const char *body = config.data ? config.data : "";
    char found[sizeof(version)];
    if (top_level_string(body, config.len, "cniVersion", found, sizeof(found)) == 1
        && strspn(found, "0123456789.") == strlen(found)) {
        memcpy(version, found, sizeof(found)); /* only digits and dots: printed as is in an error */
    }
    const char *command = getenv("CNI_COMMAND");
    if (!command || !*command) fail(CNI_INVALID_ENVIRONMENT, "CNI_COMMAND is not set");
    if (!looks_like_object(body, config.len)) fail(CNI_DECODING_FAILURE, "the network configuration on stdin is no JSON object");
    if (strcmp(command, "VERSION") == 0) return answer_version();

    char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    int named = top_level_string(body, config.len, "socket", socket_path, sizeof(socket_path));
    if (named < 0) fail(CNI_INVALID_CONFIG, "socket must be a path of at most 107 characters");
    if (named == 0) snprintf(socket_path, sizeof(socket_path), "%s", DEFAULT_SOCKET);
    char spool[4096];
    named = top_level_string(body, config.len, "spool", spool, sizeof(spool));
    if (named < 0) fail(CNI_INVALID_CONFIG, "spool must be a plain path");
    if (named == 0) snprintf(spool, sizeof(spool), "%s", DEFAULT_SPOOL);

    struct buffer request = {0};
    char head[256];
    snprintf(head, sizeof(head), "POST /v1/cni HTTP/1.0\r\nHost: netkeeper\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\n", config.len);
    append_text(&request, head);
    variables_as_headers(&request, "\r\n");
    append_text(&request, "\r\n");
    append(&request, body, config.len);

    struct buffer answer = {0};
    int connected = 0;
    int status = 0;
    char *payload = NULL;
    if (exchange(socket_path, &request, &answer, &connected) == 0) {
        payload = answer.data ? strstr(answer.data, "\r\n\r\n") : NULL;
        if (!payload || sscanf(answer.data, "HTTP/%*d.%*d %d", &status) != 1) payload = NULL;
    }
    if (!payload) {
        if (strcmp(command, "DEL") == 0) {
            /* not delivered, or delivered and not answered: the agent replays it when it is back (a DEL is
             * idempotent), so no DEL is lost */
            spool_del(spool, &config);
            return 0;
        }
        if (strcmp(command, "STATUS") == 0) failf(CNI_NOT_AVAILABLE, "the netkeeper agent is not reachable at %s", socket_path);
        failf(CNI_TRY_AGAIN_LATER, connected ? "the netkeeper agent at %s went away before it answered"
                                             : "the netkeeper agent is not reachable at %s", socket_path);
    }
    payload += 4;
    size_t length = answer.len - (size_t)(payload - answer.data);
    char msg[8];
    if (status != 200 && top_level_string(payload, length, "msg", msg, sizeof(msg)) == 0) {
        /* not a CNI error (a door's refusal, another program on the socket): said as one */
        char what[64];
        snprintf(what, sizeof(what), "%d", status);
        failf(CNI_IO_FAILURE, "the netkeeper agent refused the call with HTTP status %s", what);
    }
    fwrite(payload, 1, length, stdout);
    return status == 200 ? 0 : 1;
}
