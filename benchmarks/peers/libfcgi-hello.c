/*
 * The native reference for scripts/bench: a libfcgi responder with the fixture app's /hello, /sha256 and
 * /sleep?ms=N routes.
 * N threads each loop on FCGX_Accept_r (libfcgi's examples/threaded.c model), so that each of nginx's kept
 * connections finds a thread: libfcgi pins a thread to a connection for as long as it stays open.
 * Build: cc -O2 -o libfcgi-hello libfcgi-hello.c -lfcgi -lpthread -lcrypto
 *        (Debian: apt-get install libfcgi-dev libssl-dev)
 * Run:   libfcgi-hello HOST:PORT THREADS   (or /path/to.sock THREADS: libfcgi binds a unix socket)
 */
#include <fcgiapp.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int listen_fd;

static void sha256(FCGX_Request *request) {
    static const char hex[] = "0123456789abcdef";
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    char chunk[65536];
    long long length = 0;
    int n;
    while ((n = FCGX_GetStr(chunk, sizeof chunk, request->in)) > 0) {
        EVP_DigestUpdate(ctx, chunk, (size_t) n);
        length += n;
    }
    unsigned char digest[32];
    EVP_DigestFinal_ex(ctx, digest, NULL);
    EVP_MD_CTX_free(ctx);
    char body[128];
    for (int i = 0; i < 32; i++) {
        body[2 * i] = hex[digest[i] >> 4];
        body[2 * i + 1] = hex[digest[i] & 15];
    }
    int len = 64 + snprintf(body + 64, sizeof body - 64, " %lld\n", length);
    FCGX_FPrintF(request->out, "Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n", len);
    FCGX_PutStr(body, len, request->out);
}

/* As the fixture app's /sleep: N ms on this thread, then 'slept N'. */
static void sleep_ms(FCGX_Request *request, const char *uri) {
    const char *ms_param = strstr(uri, "ms=");
    long ms = ms_param == NULL ? 0 : strtol(ms_param + 3, NULL, 10);
    struct timespec delay = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&delay, NULL);
    char body[32];
    int len = snprintf(body, sizeof body, "slept %ld", ms);
    FCGX_FPrintF(request->out, "Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", len, body);
}

static void *serve(void *unused) {
    (void) unused;
    FCGX_Request request;
    FCGX_InitRequest(&request, listen_fd, 0);
    while (FCGX_Accept_r(&request) >= 0) {
        const char *uri = FCGX_GetParam("REQUEST_URI", request.envp);
        if (uri != NULL && strncmp(uri, "/sha256", 7) == 0) {
            sha256(&request);
        } else if (uri != NULL && strncmp(uri, "/sleep", 6) == 0) {
            sleep_ms(&request, uri);
        } else {
            FCGX_PutS("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!",
                      request.out);
        }
        FCGX_Finish_r(&request);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s HOST:PORT THREADS\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[2]);
    if (threads < 1) {
        fprintf(stderr, "THREADS must be at least 1\n");
        return 2;
    }
    FCGX_Init();
    listen_fd = FCGX_OpenSocket(argv[1], 1024);
    if (listen_fd < 0) {
        fprintf(stderr, "cannot listen on %s\n", argv[1]);
        return 1;
    }
    pthread_t *ids = calloc((size_t) threads, sizeof *ids);
    for (int i = 0; i < threads; i++) {
        pthread_create(&ids[i], NULL, serve, NULL);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
    }
    return 0;
}
