/*
 * The zero-cost reference for `scripts/bench matrix`: a FastCGI responder that does as little as a correct one can,
 * so that every other backend's throughput is read as a share of what nginx, wrk and the kernel leave for any
 * backend on the same machine in the same run.
 *
 * One thread, one epoll loop (level-triggered), non-blocking sockets, TCP and unix listeners. Per connection: a
 * streaming record parser (partial headers and contents carry over between reads), up to MAX_REQS requests in
 * flight answered in the order their empty STDIN arrives, and an output buffer that keeps what a short write left.
 * PARAMS are kept (the first PARAMS_KEEP bytes) only to find REQUEST_URI; STDIN and DATA are skipped unread.
 * The answer to a request is one STDOUT record, an empty STDOUT and END_REQUEST, in one write:
 *   /sleep?ms=N  "slept N" after N ms, from one timerfd and a heap of due answers (no thread, no blocking);
 *   anything else  "Hello, World!" (canned, with Content-Length so that nginx does not chunk it, as for jfcgi).
 * BEGIN_REQUEST without FCGI_KEEP_CONN: the connection closes once that request's END_REQUEST is written.
 * GET_VALUES is answered; other roles get FCGI_UNKNOWN_ROLE, unknown record types FCGI_UNKNOWN_TYPE.
 * Connection structs are pooled: a new connection costs accept4 and epoll_ctl, nothing else.
 *
 * Build: cc -O2 -o zero-cost-fcgi zero-cost-fcgi.c
 * Run:   zero-cost-fcgi ADDR...   (ADDR: HOST:PORT or unix:/path; Ctrl-C or SIGTERM stops it)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum { BEGIN_REQUEST = 1, ABORT_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT, STDERR, DATA, GET_VALUES,
       GET_VALUES_RESULT, UNKNOWN_TYPE };
enum { ROLE_RESPONDER = 1, FLAG_KEEP_CONN = 1 };
enum { REQUEST_COMPLETE = 0, CANT_MPX_CONN = 1, UNKNOWN_ROLE = 3 };
enum { MAX_REQS = 8, PARAMS_KEEP = 4096, BODY_KEEP = 1024, READ_BYTES = 65536, BACKLOG = 4096 };
enum { KIND_LISTENER, KIND_CONNECTION, KIND_TIMER };

/* What epoll hands back: the first member of every registered object, so one pointer says what woke. */
struct handle { int kind; };

struct listener { struct handle h; int fd; int tcp; };

struct request {
    uint16_t id;
    int keep_conn;
    uint32_t params_len;     /* bytes kept, at most PARAMS_KEEP */
    unsigned char *params;   /* allocated on first use, kept with the pooled connection */
};

struct conn {
    struct handle h;
    int fd;
    unsigned generation;     /* bumped on close: a due answer for an earlier connection in this struct is dropped */
    int want_out;            /* EPOLLOUT registered */
    int close_after_flush;   /* a request without FCGI_KEEP_CONN has ended */
    int delayed;             /* answers waiting in the timer heap */
    /* the record being read */
    unsigned char header[8];
    int header_len;
    int type;
    uint16_t id;
    uint32_t content_len, content_left, padding_left;
    unsigned char body[BODY_KEEP];
    uint32_t body_len;
    /* requests begun and not yet answered */
    struct request reqs[MAX_REQS];
    int nreqs;
    /* bytes to write */
    unsigned char *out;
    size_t out_off, out_len, out_cap;
    struct conn *next_free;
};

struct due { uint64_t at_ns; struct conn *c; unsigned generation; uint16_t id; int keep_conn; unsigned ms; };

static int epfd;
static struct handle timer_handle = { KIND_TIMER };
static int timer_fd = -1;
static uint64_t timer_armed_ns; /* 0: not armed */
static struct due *heap;
static size_t heap_len, heap_cap;
static struct conn *free_conns;
static unsigned char read_buf[READ_BYTES];

static const char HELLO[] = "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";

static void die(const char *what) { perror(what); exit(1); }

static void *grow(void *p, size_t bytes) {
    void *q = realloc(p, bytes);
    if (q == NULL) { fputs("zero-cost-fcgi: out of memory\n", stderr); exit(1); }
    return q;
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000u + (uint64_t) t.tv_nsec;
}

/* ---- output ---- */

static unsigned char *out_reserve(struct conn *c, size_t n) {
    if (c->out_off == c->out_len) c->out_off = c->out_len = 0;
    if (c->out_len + n > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 256;
        while (cap < c->out_len + n) cap *= 2;
        c->out = grow(c->out, cap);
        c->out_cap = cap;
    }
    unsigned char *p = c->out + c->out_len;
    c->out_len += n;
    return p;
}

static void put_header(unsigned char *p, int type, uint16_t id, size_t len) {
    p[0] = 1; p[1] = (unsigned char) type; p[2] = id >> 8; p[3] = id & 255;
    p[4] = (len >> 8) & 255; p[5] = len & 255; p[6] = 0; p[7] = 0;
}

static void put_end_request(struct conn *c, uint16_t id, int protocol_status) {
    unsigned char *p = out_reserve(c, 16);
    put_header(p, END_REQUEST, id, 8);
    memset(p + 8, 0, 8);
    p[12] = (unsigned char) protocol_status;
}

/* STDOUT with the whole response, the empty STDOUT that ends the stream, END_REQUEST. */
static void put_response(struct conn *c, uint16_t id, const char *stdout_bytes, size_t len, int keep_conn) {
    unsigned char *p = out_reserve(c, 8 + len + 8);
    put_header(p, STDOUT, id, len);
    memcpy(p + 8, stdout_bytes, len);
    put_header(p + 8 + len, STDOUT, id, 0);
    put_end_request(c, id, REQUEST_COMPLETE);
    if (!keep_conn) c->close_after_flush = 1;
}

static void put_slept(struct conn *c, uint16_t id, unsigned ms, int keep_conn) {
    char body[32], response[128];
    int body_len = snprintf(body, sizeof body, "slept %u", ms);
    int len = snprintf(response, sizeof response, "Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s",
                       body_len, body);
    put_response(c, id, response, (size_t) len, keep_conn);
}

static void close_conn(struct conn *c) {
    close(c->fd); /* also takes it out of the epoll set */
    c->fd = -1;
    c->generation++;
    for (int i = 0; i < c->nreqs; i++) c->reqs[i].params_len = 0;
    c->nreqs = 0;
    c->out_off = c->out_len = 0;
    c->next_free = free_conns;
    free_conns = c;
}

static void set_out_interest(struct conn *c, int want) {
    if (want == c->want_out) return;
    struct epoll_event ev = { .events = EPOLLIN | (want ? EPOLLOUT : 0), .data.ptr = &c->h };
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) die("epoll_ctl MOD");
    c->want_out = want;
}

/* Writes what is pending; returns 0 when it closed the connection. */
static int flush(struct conn *c) {
    while (c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) { set_out_interest(c, 1); return 1; }
            if (errno == EINTR) continue;
            close_conn(c);
            return 0;
        }
        c->out_off += (size_t) n;
    }
    set_out_interest(c, 0);
    if (c->close_after_flush && c->nreqs == 0 && c->delayed == 0) { close_conn(c); return 0; }
    return 1;
}

/* ---- delayed answers: a min-heap on due time, one timerfd armed for its head ---- */

static void heap_swap(size_t a, size_t b) { struct due t = heap[a]; heap[a] = heap[b]; heap[b] = t; }

static void heap_push(struct due d) {
    if (heap_len == heap_cap) { heap_cap = heap_cap ? 2 * heap_cap : 64; heap = grow(heap, heap_cap * sizeof *heap); }
    size_t i = heap_len++;
    heap[i] = d;
    while (i > 0 && heap[(i - 1) / 2].at_ns > heap[i].at_ns) { heap_swap(i, (i - 1) / 2); i = (i - 1) / 2; }
}

static struct due heap_pop(void) {
    struct due top = heap[0];
    heap[0] = heap[--heap_len];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < heap_len && heap[l].at_ns < heap[m].at_ns) m = l;
        if (r < heap_len && heap[r].at_ns < heap[m].at_ns) m = r;
        if (m == i) break;
        heap_swap(i, m);
        i = m;
    }
    return top;
}

static void arm_timer(void) {
    uint64_t at = heap_len ? heap[0].at_ns : 0;
    if (at == timer_armed_ns) return;
    struct itimerspec spec = { .it_value = { (time_t) (at / 1000000000u), (long) (at % 1000000000u) } };
    if (timerfd_settime(timer_fd, TFD_TIMER_ABSTIME, &spec, NULL) < 0) die("timerfd_settime");
    timer_armed_ns = at;
}

static void on_timer(void) {
    uint64_t expirations;
    if (read(timer_fd, &expirations, sizeof expirations) < 0 && errno != EAGAIN) die("read timerfd");
    timer_armed_ns = 0;
    uint64_t now = now_ns();
    while (heap_len && heap[0].at_ns <= now) {
        struct due d = heap_pop();
        if (d.c->generation != d.generation) continue; /* its connection has closed */
        d.c->delayed--;
        put_slept(d.c, d.id, d.ms, d.keep_conn);
        flush(d.c);
    }
    arm_timer();
}

/* ---- requests ---- */

static struct request *find_request(struct conn *c, uint16_t id) {
    for (int i = 0; i < c->nreqs; i++) if (c->reqs[i].id == id) return &c->reqs[i];
    return NULL;
}

static void remove_request(struct conn *c, struct request *r) {
    /* Keep the params buffer with its slot: swap the whole struct with the last one. */
    struct request last = c->reqs[c->nreqs - 1];
    c->reqs[c->nreqs - 1] = *r;
    *r = last;
    c->nreqs--;
}

static uint32_t pair_length(const unsigned char **p, const unsigned char *end) {
    if (*p >= end) return UINT32_MAX;
    if (!(**p & 0x80)) return *(*p)++;
    if (end - *p < 4) return UINT32_MAX;
    uint32_t n = ((uint32_t) ((*p)[0] & 0x7f) << 24) | ((uint32_t) (*p)[1] << 16) | ((uint32_t) (*p)[2] << 8) | (*p)[3];
    *p += 4;
    return n;
}

/* N of /sleep?...ms=N in REQUEST_URI, else 0 (answer at once). */
static unsigned sleep_ms(const struct request *r) {
    const unsigned char *p = r->params, *end = r->params + r->params_len;
    while (p < end) {
        uint32_t nl = pair_length(&p, end), vl = pair_length(&p, end);
        if (nl == UINT32_MAX || vl == UINT32_MAX || (size_t) (end - p) < (size_t) nl + vl) return 0;
        if (nl == 11 && memcmp(p, "REQUEST_URI", 11) == 0) {
            const char *v = (const char *) p + nl;
            if (vl < 6 || memcmp(v, "/sleep", 6) != 0) return 0;
            for (uint32_t i = 6; i + 3 <= vl; i++) {
                if ((v[i - 1] == '?' || v[i - 1] == '&') && memcmp(v + i, "ms=", 3) == 0) {
                    unsigned ms = 0;
                    for (uint32_t j = i + 3; j < vl && v[j] >= '0' && v[j] <= '9' && ms < 60000; j++)
                        ms = ms * 10 + (unsigned) (v[j] - '0');
                    return ms;
                }
            }
            return 0;
        }
        p += nl + vl;
    }
    return 0;
}

static void answer(struct conn *c, struct request *r) {
    unsigned ms = sleep_ms(r);
    uint16_t id = r->id;
    int keep = r->keep_conn;
    remove_request(c, r);
    if (ms == 0) {
        put_response(c, id, HELLO, sizeof HELLO - 1, keep);
        return;
    }
    c->delayed++;
    heap_push((struct due) { now_ns() + (uint64_t) ms * 1000000u, c, c->generation, id, keep, ms });
    arm_timer();
}

static void get_values(struct conn *c) {
    static const struct { const char *name, *value; } known[] = {
        { "FCGI_MAX_CONNS", "4096" }, { "FCGI_MAX_REQS", "32768" }, { "FCGI_MPXS_CONNS", "1" } };
    unsigned char result[BODY_KEEP];
    size_t len = 0;
    const unsigned char *p = c->body, *end = c->body + c->body_len;
    while (p < end) {
        uint32_t nl = pair_length(&p, end), vl = pair_length(&p, end);
        if (nl == UINT32_MAX || vl == UINT32_MAX || (size_t) (end - p) < (size_t) nl + vl) break;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
            size_t kl = strlen(known[k].name), kv = strlen(known[k].value);
            if (nl == kl && memcmp(p, known[k].name, kl) == 0 && len + 2 + kl + kv <= sizeof result) {
                result[len++] = (unsigned char) kl;
                result[len++] = (unsigned char) kv;
                memcpy(result + len, known[k].name, kl); len += kl;
                memcpy(result + len, known[k].value, kv); len += kv;
            }
        }
        p += nl + vl;
    }
    unsigned char *o = out_reserve(c, 8 + len);
    put_header(o, GET_VALUES_RESULT, 0, len);
    memcpy(o + 8, result, len);
}

/* A record's content has been read whole (PARAMS and STDIN: one record of the stream). */
static void record_done(struct conn *c) {
    struct request *r = c->id ? find_request(c, c->id) : NULL;
    switch (c->type) {
    case BEGIN_REQUEST: {
        if (c->body_len < 8 || c->id == 0) return;
        int role = (c->body[0] << 8) | c->body[1], keep = c->body[2] & FLAG_KEEP_CONN;
        if (role != ROLE_RESPONDER || c->nreqs == MAX_REQS || r != NULL) {
            put_end_request(c, c->id, role != ROLE_RESPONDER ? UNKNOWN_ROLE : CANT_MPX_CONN);
            if (!keep && c->nreqs == 0) c->close_after_flush = 1;
            return;
        }
        r = &c->reqs[c->nreqs++];
        r->id = c->id;
        r->keep_conn = keep;
        r->params_len = 0;
        return;
    }
    case STDIN:
        if (r != NULL && c->content_len == 0) answer(c, r);
        return;
    case ABORT_REQUEST:
        if (r != NULL) {
            int keep = r->keep_conn;
            remove_request(c, r);
            put_end_request(c, c->id, REQUEST_COMPLETE);
            if (!keep) c->close_after_flush = 1;
        }
        return;
    case GET_VALUES:
        if (c->id == 0) get_values(c);
        return;
    case PARAMS: case DATA: case STDOUT: case STDERR: case END_REQUEST: case GET_VALUES_RESULT: case UNKNOWN_TYPE:
        return;
    default: {
        unsigned char *o = out_reserve(c, 16);
        put_header(o, UNKNOWN_TYPE, 0, 8);
        memset(o + 8, 0, 8);
        o[8] = (unsigned char) c->type;
    }
    }
}

/* Feeds bytes through the record parser. */
static void consume(struct conn *c, const unsigned char *p, size_t n) {
    while (n > 0) {
        if (c->header_len < 8) {
            size_t take = 8 - (size_t) c->header_len < n ? 8 - (size_t) c->header_len : n;
            memcpy(c->header + c->header_len, p, take);
            c->header_len += (int) take; p += take; n -= take;
            if (c->header_len < 8) return;
            c->type = c->header[1];
            c->id = (uint16_t) ((c->header[2] << 8) | c->header[3]);
            c->content_len = c->content_left = (uint32_t) ((c->header[4] << 8) | c->header[5]);
            c->padding_left = c->header[6];
            c->body_len = 0;
            if (c->content_left == 0) record_done(c);
        } else if (c->content_left > 0) {
            size_t take = c->content_left < n ? c->content_left : n;
            if (c->type == PARAMS) {
                struct request *r = find_request(c, c->id);
                if (r != NULL && r->params_len < PARAMS_KEEP) {
                    size_t keep = PARAMS_KEEP - r->params_len < take ? PARAMS_KEEP - r->params_len : take;
                    if (r->params == NULL) r->params = grow(NULL, PARAMS_KEEP);
                    memcpy(r->params + r->params_len, p, keep);
                    r->params_len += (uint32_t) keep;
                }
            } else if (c->type != STDIN && c->type != DATA) {
                size_t keep = BODY_KEEP - c->body_len < take ? BODY_KEEP - c->body_len : take;
                memcpy(c->body + c->body_len, p, keep);
                c->body_len += (uint32_t) keep;
            }
            c->content_left -= (uint32_t) take; p += take; n -= take;
            if (c->content_left == 0) record_done(c);
        } else {
            size_t take = c->padding_left < n ? c->padding_left : n;
            c->padding_left -= (uint32_t) take; p += take; n -= take;
        }
        if (c->content_left == 0 && c->padding_left == 0 && c->header_len == 8) c->header_len = 0;
    }
}

static void on_readable(struct conn *c) {
    for (;;) {
        ssize_t n = read(c->fd, read_buf, sizeof read_buf);
        if (n == 0) { close_conn(c); return; }
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) close_conn(c);
            else flush(c);
            return;
        }
        consume(c, read_buf, (size_t) n);
        /* A short read most likely emptied the socket: answer now, and let level-triggered epoll say if not. */
        if ((size_t) n < sizeof read_buf) { flush(c); return; }
    }
}

static void on_accept(struct listener *l) {
    for (;;) {
        int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) perror("accept4"); /* EMFILE: the backlog keeps them */
            return;
        }
        if (l->tcp) { int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); }
        struct conn *c = free_conns;
        if (c != NULL) free_conns = c->next_free;
        else { c = grow(NULL, sizeof *c); memset(c, 0, sizeof *c); c->h.kind = KIND_CONNECTION; }
        c->fd = fd;
        c->want_out = c->close_after_flush = c->delayed = 0;
        c->header_len = 0; c->content_left = c->padding_left = 0;
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &c->h };
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl ADD");
    }
}

static struct listener *open_listener(const char *addr) {
    struct listener *l = grow(NULL, sizeof *l);
    l->h.kind = KIND_LISTENER;
    if (strncmp(addr, "unix:", 5) == 0) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        if (strlen(addr + 5) >= sizeof sa.sun_path) { fprintf(stderr, "zero-cost-fcgi: path too long: %s\n", addr); exit(2); }
        strcpy(sa.sun_path, addr + 5);
        unlink(sa.sun_path);
        l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        l->tcp = 0;
        if (l->fd < 0 || bind(l->fd, (struct sockaddr *) &sa, sizeof sa) < 0) die(addr);
    } else {
        const char *colon = strrchr(addr, ':');
        if (colon == NULL) { fprintf(stderr, "zero-cost-fcgi: not HOST:PORT or unix:/path: %s\n", addr); exit(2); }
        char host[256];
        snprintf(host, sizeof host, "%.*s", (int) (colon - addr), addr);
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t) atoi(colon + 1)) };
        if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) { fprintf(stderr, "zero-cost-fcgi: not an IPv4 address: %s\n", host); exit(2); }
        l->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        l->tcp = 1;
        int one = 1;
        setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (l->fd < 0 || bind(l->fd, (struct sockaddr *) &sa, sizeof sa) < 0) die(addr);
    }
    if (listen(l->fd, BACKLOG) < 0) die("listen");
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &l->h };
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, l->fd, &ev) < 0) die("epoll_ctl ADD listener");
    return l;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s ADDR...   (ADDR: HOST:PORT or unix:/path)\n", argv[0]);
        return 2;
    }
    /* 1024 upstream connections and more: take every descriptor the hard limit allows. */
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0) { lim.rlim_cur = lim.rlim_max; setrlimit(RLIMIT_NOFILE, &lim); }
    signal(SIGPIPE, SIG_IGN);
    if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) die("epoll_create1");
    if ((timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) < 0) die("timerfd_create");
    struct epoll_event tev = { .events = EPOLLIN, .data.ptr = &timer_handle };
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, timer_fd, &tev) < 0) die("epoll_ctl ADD timer");
    for (int i = 1; i < argc; i++) open_listener(argv[i]);
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(epfd, events, 256, -1);
        if (n < 0) { if (errno == EINTR) continue; die("epoll_wait"); }
        for (int i = 0; i < n; i++) {
            struct handle *h = events[i].data.ptr;
            if (h->kind == KIND_LISTENER) { on_accept((struct listener *) h); continue; }
            if (h->kind == KIND_TIMER) { on_timer(); continue; }
            struct conn *c = (struct conn *) h;
            /* An earlier event of this batch may have closed it. (If an accept reused the struct since, the stale event
             * costs one read that finds nothing.) */
            if (c->fd < 0) continue;
            if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(c);
            else if (events[i].events & EPOLLOUT) flush(c);
        }
    }
}
