/* gen_parquet_seeds.c - writes the fuzz seed corpus (tests/fuzz/seeds) from hand-built files
 * (tests/parquet/pqbuild.h), so the seeds are ours and small: a map with levels, dictionary +
 * RLE_DICTIONARY, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, v2 pages, INT96,
 * BYTE_STREAM_SPLIT, BIT_PACKED levels, and SNAPPY / GZIP / ZSTD / LZ4 pages.
 * usage: gen_parquet_seeds DIR */
#include <lz4.h>
#include <snappy-c.h>
#include <stdio.h>
#include <zlib.h>
#include <zstd.h>

#include "../parquet/pqbuild.h"

#define ROOT(n) {"schema", -1, -1, n, -1, 0, 0, 0, 0, 0}

static const char *dir;

static void save(const char *name, struct lr_buf *b)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len) {
        perror(path);
        exit(1);
    }
    fclose(f);
    lr_buf_free(b);
}

static void levels(struct lr_buf *b, const uint8_t *v, size_t n, int w)
{
    size_t groups = (n + 7) / 8;
    uint8_t packed[64] = {0};
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < w; k++) {
            size_t bit = i * (size_t)w + (size_t)k;
            if (v[i] >> k & 1)
                packed[bit / 8] |= (uint8_t)(1u << (bit % 8));
        }
    }
    pqb_u32(b, (uint32_t)(1 + groups * (size_t)w));
    uint8_t h = (uint8_t)(groups << 1 | 1);
    lr_buf_append(b, &h, 1, NULL);
    lr_buf_append(b, packed, groups * (size_t)w, NULL);
}

static void one(const char *name, struct pqb_elem leaf, int codec, int enc, const void *body,
                size_t len, size_t ulen, int nvals)
{
    struct pqb_elem els[2] = {ROOT(1), leaf};
    struct pqb_chunk ch = {{leaf.name}, 1, leaf.type, codec, nvals, {{0}}, 1};
    ch.pages[0] = (struct pqb_page){0, enc, nvals, 3, 0, 0, 0, body, len, ulen};
    struct lr_buf f;
    pqb_file(&f, els, 2, &ch, 1, nvals);
    save(name, &f);
}

static void seed_map(void)
{
    /* optional group m (MAP) { repeated group key_value { required key; optional value } }
     * rows: {"a":"x","b":null}, null, {} */
    uint8_t krep[] = {0, 1, 0, 0}, kdef[] = {2, 2, 0, 1};
    uint8_t vrep[] = {0, 1, 0, 0}, vdef[] = {3, 2, 0, 1};
    struct lr_buf kb = LR_BUF_INIT, vb = LR_BUF_INIT;
    levels(&kb, krep, 4, 1);
    levels(&kb, kdef, 4, 2);
    pqb_u32(&kb, 1);
    lr_buf_append(&kb, "a", 1, NULL);
    pqb_u32(&kb, 1);
    lr_buf_append(&kb, "b", 1, NULL);
    levels(&vb, vrep, 4, 1);
    levels(&vb, vdef, 4, 2);
    pqb_u32(&vb, 1);
    lr_buf_append(&vb, "x", 1, NULL);
    struct pqb_elem els[5] = {ROOT(1),
                              {"m", -1, 1, 1, 1, 0, 0, 0, 0, 0},
                              {"key_value", -1, 2, 2, -1, 0, 0, 0, 0, 0},
                              {"key", 6, 0, 0, 0, 0, 0, 0, 0, 0},
                              {"value", 6, 1, 0, 0, 0, 0, 0, 0, 0}};
    struct pqb_chunk ch[2] = {{{"m", "key_value", "key"}, 3, 6, 0, 4, {{0}}, 1},
                              {{"m", "key_value", "value"}, 3, 6, 0, 4, {{0}}, 1}};
    ch[0].pages[0] = (struct pqb_page){0, 0, 4, 3, 0, 0, 0, kb.data, kb.len, 0};
    ch[1].pages[0] = (struct pqb_page){0, 0, 4, 3, 0, 0, 0, vb.data, vb.len, 0};
    struct lr_buf f;
    pqb_file(&f, els, 5, ch, 2, 3);
    save("map_levels.parquet", &f);
    lr_buf_free(&kb);
    lr_buf_free(&vb);
}

static void seed_dict_snappy(void)
{
    /* dictionary page ["alpha","beta"], data page RLE_DICTIONARY indices 0,1,1,0 */
    struct lr_buf d = LR_BUF_INIT;
    pqb_u32(&d, 5);
    lr_buf_append(&d, "alpha", 5, NULL);
    pqb_u32(&d, 4);
    lr_buf_append(&d, "beta", 4, NULL);
    uint8_t idx[] = {1, 0x03, 0x06}; /* width 1, one bit-packed group: 0,1,1,0 */
    char dz[64], iz[64];
    size_t dl = sizeof dz, il = sizeof iz;
    snappy_compress((const char *)d.data, d.len, dz, &dl);
    snappy_compress((const char *)idx, sizeof idx, iz, &il);
    struct pqb_elem els[2] = {ROOT(1), {"s", 6, 0, 0, 0, 0, 0, 0, 0, 0}};
    struct pqb_chunk ch = {{"s"}, 1, 6, 1, 4, {{0}}, 2};
    ch.pages[0] = (struct pqb_page){2, 0, 2, 0, 0, 0, 0, (uint8_t *)dz, dl, d.len};
    ch.pages[1] = (struct pqb_page){0, 8, 4, 3, 0, 0, 0, (uint8_t *)iz, il, sizeof idx};
    struct lr_buf f;
    pqb_file(&f, els, 2, &ch, 1, 4);
    save("dict_snappy.parquet", &f);
    lr_buf_free(&d);
}

static void seed_delta(void)
{
    /* DELTA_BINARY_PACKED int64 1..5: block 128, 4 miniblocks, min delta 1, widths 0 */
    uint8_t dbp[] = {0x80, 0x01, 4, 5, 2, 2, 0, 0, 0, 0};
    struct pqb_elem e = {"v", 2, 0, 0, -1, 0, 0, 0, 0, 0};
    one("delta_binary_packed.parquet", e, 0, 5, dbp, sizeof dbp, 0, 5);
    /* DELTA_LENGTH_BYTE_ARRAY "ab","cd": lengths 2,2 then "abcd"; gzip (zlib stream) */
    uint8_t dlba[] = {0x80, 0x01, 4, 2, 4, 0, 0, 0, 0, 0, 'a', 'b', 'c', 'd'};
    uint8_t z[128];
    uLongf zl = sizeof z;
    compress2(z, &zl, dlba, sizeof dlba, 9);
    struct pqb_elem s = {"s", 6, 0, 0, 0, 0, 0, 0, 0, 0};
    one("delta_length_gzip.parquet", s, 2, 6, z, zl, sizeof dlba, 2);
}

static void seed_misc(void)
{
    uint8_t i96[12] = {0x15, 0xcd, 0x5b, 0x07, 0, 0, 0, 0, 0x97, 0x8a, 0x25, 0x00};
    struct pqb_elem t = {"ts", 3, 0, 0, -1, 0, 0, 0, 0, 0};
    one("int96.parquet", t, 0, 0, i96, 12, 0, 1);

    double dv[2] = {1.5, -2.0};
    uint8_t raw[16], bss[16];
    memcpy(raw, dv, 16);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 8; j++)
            bss[j * 2 + i] = raw[i * 8 + j];
    char zs[64];
    size_t zl = ZSTD_compress(zs, sizeof zs, bss, sizeof bss, 3);
    struct pqb_elem d = {"d", 5, 0, 0, -1, 0, 0, 0, 0, 0};
    one("bss_zstd.parquet", d, 6, 9, zs, zl, sizeof bss, 2);

    uint8_t bp[] = {0xa0, 7, 0, 0, 0, 9, 0, 0, 0};
    char lz[64];
    int ll = LZ4_compress_default((const char *)bp, lz, sizeof bp, sizeof lz);
    struct pqb_elem x = {"x", 1, 1, 0, -1, 0, 0, 0, 0, 0};
    struct pqb_elem els[2] = {ROOT(1), x};
    struct pqb_chunk ch = {{"x"}, 1, 1, 7, 3, {{0}}, 1};
    ch.pages[0] = (struct pqb_page){0, 0, 3, 4, 0, 0, 0, (uint8_t *)lz, (size_t)ll, sizeof bp};
    struct lr_buf f;
    pqb_file(&f, els, 2, &ch, 1, 3);
    save("bitpacked_levels_lz4.parquet", &f);

    struct lr_buf v2 = LR_BUF_INIT;
    uint8_t lv[] = {0x03, 0x05};
    lr_buf_append(&v2, lv, 2, NULL);
    int32_t vals[2] = {-5, 6};
    lr_buf_append(&v2, vals, 8, NULL);
    struct pqb_chunk c2 = {{"x"}, 1, 1, 0, 3, {{0}}, 1};
    c2.pages[0] = (struct pqb_page){3, 0, 3, 0, 2, 0, 1, v2.data, v2.len, 0};
    pqb_file(&f, els, 2, &c2, 1, 3);
    save("v2_page.parquet", &f);
    lr_buf_free(&v2);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_parquet_seeds DIR\n");
        return 2;
    }
    dir = argv[1];
    seed_map();
    seed_dict_snappy();
    seed_delta();
    seed_misc();
    return 0;
}
