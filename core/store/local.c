/* local.c - the local filesystem backend.
 *
 * Keys map to files below the root directory. put-if-absent writes a temporary file in the
 * target directory, fsyncs it and publishes it with renameat2(RENAME_NOREPLACE) (link(2) where
 * the filesystem lacks it), then fsyncs the directory: readers never see a partial commit and
 * exactly one of several racing writers wins. Temporaries are named ".tmp-lr-*" and never listed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lakerewind/parallel.h"
#include "lakerewind/str.h"
#include "lakerewind/sys/store_backend.h"

#define TMP_PREFIX ".tmp-lr-"

struct local_store {
    struct lr_store base; /* first */
    char *root;
};

static const struct lr_store_ops local_ops;

static char *full_path(struct local_store *ls, const char *key)
{
    return lr_path_join(ls->root, key);
}

static int64_t mtime_ms(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000 + st->st_mtim.tv_nsec / 1000000;
}

/* Read [offset, offset + length) into dst; *got = the bytes read (fewer when the file shrank
 * under us: what exists is returned). 0 or an errno value. */
static int pread_all(int fd, uint8_t *dst, uint64_t offset, uint64_t length, uint64_t *got)
{
    *got = 0;
    while (*got < length) {
        ssize_t n = pread(fd, dst + *got, (size_t)(length - *got), (off_t)(offset + *got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            break;
        *got += (uint64_t)n;
    }
    return 0;
}

/* A large read is split over a few threads: copying out of the page cache, and faulting in the
 * fresh buffer it lands in, took ~45 ms of one core for a 41 MB checkpoint, all of it before
 * the checkpoint's row groups could be decoded in parallel. Still one request. */
#define SPLIT_MIN ((uint64_t)16 << 20)
#define SPLIT_MAX 4

struct range_part {
    int fd;
    uint8_t *dst;
    uint64_t offset, length, got;
    int errnum;
};

static void read_part(size_t i, void *payload)
{
    struct range_part *p = (struct range_part *)payload + i;
    p->errnum = pread_all(p->fd, p->dst, p->offset, p->length, &p->got);
}

static int read_range(int fd, uint8_t *dst, uint64_t offset, uint64_t length, uint64_t *got)
{
    if (length < SPLIT_MIN) /* before sysconf, which reads a file: commits are small */
        return pread_all(fd, dst, offset, length, got);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t parts = cpus > SPLIT_MAX ? SPLIT_MAX : (cpus > 1 ? (size_t)cpus : 1);
    if (parts < 2)
        return pread_all(fd, dst, offset, length, got);
    struct range_part p[SPLIT_MAX];
    uint64_t step = (length / parts + 4095) & ~(uint64_t)4095;
    for (size_t i = 0; i < parts; i++) {
        uint64_t lo = step * i < length ? step * i : length;
        uint64_t hi = step * (i + 1) < length ? step * (i + 1) : length;
        p[i] = (struct range_part){fd, dst + lo, offset + lo, hi - lo, 0, 0};
    }
    lr_parallel_for(parts, parts, read_part, p);
    *got = 0;
    for (size_t i = 0; i < parts; i++) {
        if (p[i].errnum)
            return p[i].errnum;
        *got += p[i].got;
        if (p[i].got < p[i].length)
            break; /* the file shrank: only the bytes up to the first gap */
    }
    return 0;
}

/* Open the object's file for reading: *fd and *st, or an error naming the path (*fd -1). */
static int open_object(const char *path, int *fd, struct stat *st, struct lr_error *err)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc = 0;
    if (*fd < 0)
        return lr_error_errno(err, errno, "cannot open %s", path);
    if (fstat(*fd, st) < 0)
        rc = lr_error_errno(err, errno, "cannot stat %s", path);
    else if (!S_ISREG(st->st_mode))
        rc = lr_error_set(err, LR_ENOTFOUND, "%s is not a regular file", path);
    if (rc < 0) {
        close(*fd);
        *fd = -1;
    }
    return rc;
}

static int local_get(struct lr_store *s, const char *key, bool whole, uint64_t offset,
                     uint64_t length, struct lr_buf *out, struct lr_error *err)
{
    struct local_store *ls = (struct local_store *)s;
    char *path = full_path(ls, key);
    if (!path)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int fd;
    struct stat st;
    int rc = open_object(path, &fd, &st, err);
    if (rc < 0)
        goto done;
    uint64_t size = (uint64_t)st.st_size;
    if (whole) {
        offset = 0;
        length = size;
    } else if (offset >= size) {
        rc = lr_error_set(err, LR_ERANGE, "range starts at byte %llu but %s has %llu bytes",
                          (unsigned long long)offset, key, (unsigned long long)size);
        goto done;
    }
    if (length > size - offset)
        length = size - offset;
    rc = lr_buf_reserve(out, (size_t)length, err);
    if (rc < 0)
        goto done;
    uint64_t got = 0;
    int errnum = read_range(fd, out->data + out->len, offset, length, &got);
    if (errnum) {
        rc = lr_error_errno(err, errnum, "cannot read %s", path);
        goto done;
    }
    out->len += (size_t)got;
    out->data[out->len] = '\0';
done:
    if (fd >= 0)
        close(fd);
    free(path);
    return rc;
}

/* Files mapped rather than read: from 64 KiB (below, a copy costs less than a mapping), and
 * only on local disk or memory file systems. A page of a network or FUSE file system can fail
 * long after mmap returned, and a failed page is a SIGBUS instead of an error: those files
 * are read. */
#define MAP_MIN ((off_t)64 << 10)

static bool mappable_fs(int fd)
{
    struct statfs fs;
    if (fstatfs(fd, &fs) < 0)
        return false;
    switch ((unsigned long)fs.f_type) {
    case EXT4_SUPER_MAGIC: /* also ext2 and ext3 */
    case XFS_SUPER_MAGIC:
    case BTRFS_SUPER_MAGIC:
    case F2FS_SUPER_MAGIC:
    case TMPFS_MAGIC:
    case RAMFS_MAGIC:
    case OVERLAYFS_SUPER_MAGIC:
        return true;
    default:
        return false;
    }
}

static int local_map(struct lr_store *s, const char *key, void **addr, size_t *len,
                     struct lr_error *err)
{
    struct local_store *ls = (struct local_store *)s;
    char *path = full_path(ls, key);
    if (!path)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int fd;
    struct stat st;
    int rc = open_object(path, &fd, &st, err);
    if (rc == 0)
        rc = LR_EUNSUPPORTED; /* unless mapped below */
    if (fd >= 0 && st.st_size >= MAP_MIN && (uint64_t)st.st_size <= SIZE_MAX &&
        mappable_fs(fd)) {
        /* populated now: the pages are the page cache's, mapped in one call, never copied */
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (p != MAP_FAILED) {
            *addr = p;
            *len = (size_t)st.st_size;
            rc = 0;
        }
    }
    if (fd >= 0)
        close(fd);
    free(path);
    return rc;
}

static int local_head(struct lr_store *s, const char *key, struct lr_store_entry *out,
                      struct lr_error *err)
{
    struct local_store *ls = (struct local_store *)s;
    char *path = full_path(ls, key);
    if (!path)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    struct stat st;
    int rc = 0;
    if (stat(path, &st) < 0)
        rc = lr_error_errno(err, errno, "cannot stat %s", path);
    else if (!S_ISREG(st.st_mode))
        rc = lr_error_set(err, LR_ENOTFOUND, "%s is not a regular file", path);
    if (rc == 0) {
        out->key = lr_strdup(key);
        out->size = (uint64_t)st.st_size;
        out->mtime_ms = mtime_ms(&st);
        if (!out->key)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    free(path);
    return rc;
}

struct collect {
    struct lr_store_entry *items;
    size_t count, cap;
};

static int collect_push(struct collect *c, char *key, const struct stat *st)
{
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        struct lr_store_entry *p = realloc(c->items, cap * sizeof *p);
        if (!p) {
            free(key);
            return LR_ENOMEM;
        }
        c->items = p;
        c->cap = cap;
    }
    c->items[c->count].key = key;
    c->items[c->count].size = (uint64_t)st->st_size;
    c->items[c->count].mtime_ms = mtime_ms(st);
    c->count++;
    return 0;
}

/* Walk `dir_key` (a key prefix ending in '/' or "" for the root), keeping files whose key starts
 * with `prefix`. Descends only into directories that can hold matching keys. */
static int walk(struct local_store *ls, const char *dir_key, const char *prefix,
                struct collect *c, struct lr_error *err)
{
    char *dir_path = *dir_key ? full_path(ls, dir_key) : lr_strdup(ls->root);
    if (!dir_path)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    DIR *d = opendir(dir_path);
    if (!d) {
        int e = errno;
        int rc = (e == ENOENT || e == ENOTDIR) ? 0
                                               : lr_error_errno(err, e, "cannot list %s", dir_path);
        free(dir_path);
        return rc;
    }
    int rc = 0;
    struct dirent *de;
    size_t dl = strlen(dir_key), pl = strlen(prefix);
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        if (!strcmp(name, ".") || !strcmp(name, "..") || lr_str_starts_with(name, TMP_PREFIX))
            continue;
        char *key = lr_asprintf("%s%s", dir_key, name);
        if (!key) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            break;
        }
        size_t kl = strlen(key);
        /* A key can match if it extends the prefix, or (for directories) is a prefix of it. */
        bool key_has_prefix = kl >= pl && memcmp(key, prefix, pl) == 0;
        bool prefix_has_key = kl < pl && memcmp(prefix, key, kl) == 0;
        if (!key_has_prefix && !prefix_has_key) {
            free(key);
            continue;
        }
        struct stat st;
        if (fstatat(dirfd(d), name, &st, 0) < 0) {
            free(key); /* vanished between readdir and stat (or a dangling link): skip it */
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            char *sub = lr_asprintf("%s/", key);
            free(key);
            if (!sub) {
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                break;
            }
            size_t sl = strlen(sub);
            if ((sl >= pl && memcmp(sub, prefix, pl) == 0) ||
                (sl < pl && memcmp(prefix, sub, sl) == 0))
                rc = walk(ls, sub, prefix, c, err);
            free(sub);
            if (rc < 0)
                break;
        } else if (S_ISREG(st.st_mode) && key_has_prefix) {
            if (collect_push(c, key, &st) < 0) {
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                break;
            }
        } else {
            free(key);
        }
    }
    (void)dl;
    closedir(d);
    free(dir_path);
    return rc;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct lr_store_entry *)a)->key,
                  ((const struct lr_store_entry *)b)->key);
}

static int local_list_page(struct lr_store *s, const char *prefix, const char *start_after,
                           const char *token, size_t max_keys, struct lr_store_page *out,
                           struct lr_error *err)
{
    struct local_store *ls = (struct local_store *)s;
    const char *slash = strrchr(prefix, '/');
    char *dir_key = slash ? lr_strndup(prefix, (size_t)(slash - prefix + 1)) : lr_strdup("");
    if (!dir_key)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    struct collect c = {0};
    int rc = walk(ls, dir_key, prefix, &c, err);
    free(dir_key);
    if (rc == 0 && c.count > 1)
        qsort(c.items, c.count, sizeof *c.items, cmp_entry);
    /* Keep (after, ...) where after is the larger of start_after and token. */
    const char *after = start_after;
    if (token && (!after || strcmp(token, after) > 0))
        after = token;
    size_t first = 0;
    if (rc == 0 && after) {
        size_t lo = 0, hi = c.count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(c.items[mid].key, after) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        first = lo;
    }
    size_t n = rc == 0 ? c.count - first : 0;
    bool more = false;
    if (max_keys && n > max_keys) {
        n = max_keys;
        more = true;
    }
    if (rc == 0 && n) {
        out->entries = malloc(n * sizeof *out->entries);
        if (!out->entries) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        } else {
            memcpy(out->entries, c.items + first, n * sizeof *out->entries);
            out->count = n;
            for (size_t i = first; i < first + n; i++)
                c.items[i].key = NULL; /* moved */
            if (more) {
                out->next_token = lr_strdup(out->entries[n - 1].key);
                if (!out->next_token)
                    rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            }
        }
    }
    for (size_t i = 0; i < c.count; i++)
        free(c.items[i].key);
    free(c.items);
    return rc;
}

static int mkdirs_for(const char *path, struct lr_error *err)
{
    char *copy = lr_strdup(path);
    if (!copy)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = 0;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
            rc = lr_error_errno(err, errno, "cannot create directory %s", copy);
            break;
        }
        *p = '/';
    }
    free(copy);
    return rc;
}

static int fsync_dir(const char *file_path)
{
    char *dir = lr_strdup(file_path);
    if (!dir)
        return -1;
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir)
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    close(fd);
    return r;
}

static int write_all(int fd, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int publish_noreplace(const char *tmp, const char *final)
{
#ifdef SYS_renameat2
    long r = syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, final, 1 /* RENAME_NOREPLACE */);
    if (r == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return -1;
#endif
    if (link(tmp, final) < 0)
        return -1;
    unlink(tmp);
    return 0;
}

static int local_put(struct lr_store *s, const char *key, const void *data, size_t len,
                     bool if_absent, struct lr_error *err)
{
    struct local_store *ls = (struct local_store *)s;
    static atomic_uint seq;
    char *final = full_path(ls, key);
    char *tmp = NULL;
    int rc = 0, fd = -1;
    if (!final)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    rc = mkdirs_for(final, err);
    if (rc < 0)
        goto done;
    char *slash = strrchr(final, '/');
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    tmp = lr_asprintf("%.*s/" TMP_PREFIX "%ld-%u-%ld", (int)(slash - final), final, (long)getpid(),
                      atomic_fetch_add(&seq, 1), ts.tv_nsec);
    if (!tmp) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = lr_error_errno(err, errno, "cannot create temporary file %s", tmp);
        goto done;
    }
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        rc = lr_error_errno(err, errno, "cannot write %s", tmp);
        goto done;
    }
    close(fd);
    fd = -1;
    if (if_absent) {
        if (publish_noreplace(tmp, final) < 0) {
            if (errno == EEXIST)
                rc = lr_error_set(err, LR_EEXISTS, "%s already exists", key);
            else
                rc = lr_error_errno(err, errno, "cannot publish %s", final);
            goto done;
        }
    } else if (rename(tmp, final) < 0) {
        rc = lr_error_errno(err, errno, "cannot publish %s", final);
        goto done;
    }
    free(tmp);
    tmp = NULL;
    if (fsync_dir(final) < 0)
        rc = lr_error_errno(err, errno, "cannot sync the directory of %s", final);
done:
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    free(final);
    return rc;
}

static int local_del(struct lr_store *s, const char *key, struct lr_error *err)
{
    struct local_store *ls = (struct local_store *)s;
    char *path = full_path(ls, key);
    if (!path)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = 0;
    if (unlink(path) < 0 && errno != ENOENT)
        rc = lr_error_errno(err, errno, "cannot delete %s", path);
    free(path);
    return rc;
}

static void local_destroy(struct lr_store *s)
{
    struct local_store *ls = (struct local_store *)s;
    free(ls->root);
    free(ls);
}

static const struct lr_store_ops local_ops = {
    .version = LR_STORE_OPS_VERSION,
    .name = "local",
    .get = local_get,
    .map = local_map,
    .head = local_head,
    .list_page = local_list_page,
    .put = local_put,
    .del = local_del,
    .destroy = local_destroy,
};

int lr_local_store_open(struct lr_store **out, const struct lr_uri *uri,
                        const struct lr_store_options *opts, struct lr_error *err)
{
    const char *create = lr_store_option(opts, "create_root", NULL);
    bool want_create = create && (!strcmp(create, "true") || !strcmp(create, "1"));
    struct stat st;
    if (stat(uri->path, &st) < 0) {
        if (errno == ENOENT && want_create) {
            char *probe = lr_path_join(uri->path, "x");
            int rc = probe ? mkdirs_for(probe, err) : lr_error_set(err, LR_ENOMEM, "oom");
            free(probe);
            if (rc < 0)
                return rc;
        } else if (errno == ENOENT) {
            return lr_error_set(err, LR_ENOTFOUND,
                                "folder %s does not exist: check the path or create it",
                                uri->path);
        } else {
            return lr_error_errno(err, errno, "cannot open folder %s", uri->path);
        }
    } else if (!S_ISDIR(st.st_mode)) {
        return lr_error_set(err, LR_EINVAL, "%s is not a folder", uri->path);
    }
    struct local_store *ls = calloc(1, sizeof *ls);
    if (!ls)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    ls->root = lr_strdup(uri->path);
    if (!ls->root) {
        free(ls);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    ls->base.ops = &local_ops;
    ls->base.caps = LR_STORE_CAP_ATOMIC_CREATE | LR_STORE_CAP_MTIME;
    *out = &ls->base;
    return 0;
}

const char *lr_local_store_root(const struct lr_store *s)
{
    if (!s || s->ops != &local_ops)
        return NULL;
    return ((const struct local_store *)s)->root;
}
