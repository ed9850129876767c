/* test_safety.c - the redaction of passwords (tach__redact), text made safe for a
 * terminal (tach__terminal_safe) and what a control character is (tach__utf8_control),
 * how many columns text takes there and where a cell is cut (tach__display_width,
 * tach__width_prefix, tach__utf8_prec, cli_term_cell),
 * the file reader's refusals (tach__read_file: regular files only, within the input
 * limit), a long path's middle elided for the reason (tach__err_named), and a child's standard streams kept open across exec (tach__dup_to). */
#define _GNU_SOURCE /* newlocale */
#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "cli.h"
#include "tach_internal.h"
#include "test.h"

static void redacts(const char *in, const char *want)
{
    char *got = tach__redact(in);
    ASSERT_STREQ(want, got);
    tach__free(got);
}

TEST(a_urls_password_is_redacted)
{
    redacts("postgresql://u:pw@host/db", "postgresql://u:***@host/db");
    redacts("--store=postgres://u:p:w@h:5432/db?x=1", "--store=postgres://u:***@h:5432/db?x=1");
    redacts("http://user:s3cr%40t@gw:9091/metrics", "http://user:***@gw:9091/metrics");
    redacts("a http://a:b@x/ and https://c:d@y/", "a http://a:***@x/ and https://c:***@y/");
    /* a user without a password, no user, an '@' only in the path: nothing to hide */
    redacts("postgresql://u@host/db", "postgresql://u@host/db");
    redacts("https://host:8080/a@b", "https://host:8080/a@b");
    redacts("plain text: no URL", "plain text: no URL");
    redacts("", "");
    ASSERT_TRUE(tach__redact(NULL) == NULL);
    /* a URL ends at a blank, wherever it stands in the string: a message that starts
     * with one goes on after it, and a later '@' is not its password's (the URL was
     * read to the string's last '@': "postgres://u:***@example", "http://h:***@b") */
    redacts("postgres://u:pw@host: error near user@example", "postgres://u:***@host: error near user@example");
    redacts("postgres://u:pw@host/db: error near user@example", "postgres://u:***@host/db: error near user@example");
    redacts("http://h:8080 refused: From a@b", "http://h:8080 refused: From a@b");
    redacts("postgres://host: no user a:b@c", "postgres://host: no user a:b@c");
    redacts("http://[::1]:8080 -H a:b@c", "http://[::1]:8080 -H a:b@c");
    redacts("\"postgres://u:pw@h\" failed near a@b", "\"postgres://u:***@h\" failed near a@b");
    redacts("curl http://localhost:8080 -H \"From: a@b\"", "curl http://localhost:8080 -H \"From: a@b\"");
    redacts("curl http://u:pw@h:1 -H \"From: a@b\"", "curl http://u:***@h:1 -H \"From: a@b\"");
    redacts("store postgresql://u:pw@h/db: no", "store postgresql://u:***@h/db: no");
    /* ... but not a blank in a password: libpq takes one raw, and a user:pass with no '@'
     * yet, whose ':' is followed by no digit, is no HOST:PORT; its next word is hidden too */
    redacts("postgresql://u:pa ss@h/db", "postgresql://u:***@h/db");
    redacts("--store=postgresql://u:a\tb@h?x=1", "--store=postgresql://u:***@h?x=1");
    redacts("store postgresql://u:a b c@h: no", "store postgresql://u:***@h: no");
    redacts("postgresql://u:12%2034@h/db", "postgresql://u:***@h/db"); /* "12 34": encoded */
    /* a quote does not end a URL: a password may hold one, and its rest would show */
    redacts("postgres://u:a'b\"c@h/db", "postgres://u:***@h/db");
}

static void redacts_arg(const char *in, const char *want)
{
    char *got = tach__redact_arg(NULL, in);
    ASSERT_STREQ(want, got);
    tach__free(got);
}

TEST(a_command_line_word_is_redacted_whole)
{
    /* a word that is a URL, or an --opt=URL, is one URL: its blank is its password's
     * (tach__redact showed "password=*** b") */
    redacts_arg("--store=postgres://u@h/db?password=a b", "--store=postgres://u@h/db?password=***");
    redacts_arg("postgres://u@h/db?password=a b&x=1", "postgres://u@h/db?password=***&x=1");
    redacts_arg("postgresql://u:a b@h/db", "postgresql://u:***@h/db");
    redacts_arg("-url=http://u:12 34@h/x", "-url=http://u:***@h/x");
    /* any other word is text: a shell command given as one word */
    redacts_arg("psql postgres://u:pw@h/db -c 'select 1' a@b", "psql postgres://u:***@h/db -c 'select 1' a@b");
    redacts_arg("host=h password=a;b dbname=d", "host=h password=*** dbname=d");
    redacts_arg("--name=a b postgres://u:pw@h", "--name=a b postgres://u:***@h");
    redacts_arg("--store=./a b@c.db", "--store=./a b@c.db");
    redacts_arg("", "");
    redacts_arg("true", "true"); /* a scheme's letters to the end, no "://" */
    redacts_arg("--x=a1+b.c-d", "--x=a1+b.c-d");
    ASSERT_TRUE(tach__redact_arg(NULL, NULL) == NULL);
}

static void redacts_after(const char *prev, const char *in, const char *want)
{
    char *got = tach__redact_arg(prev, in);
    ASSERT_STREQ(want, got);
    tach__free(got);
}

TEST(a_password_option_alone_hides_the_next_word)
{
    /* "--password" "VALUE" in two words (psql --password hunter2, mysql --password
     * hunter2): the value was shown, only "--password VALUE" in one string hidden */
    redacts_after("--password", "hunter2", "***");
    redacts_after("--password", "a b", "***");
    redacts_after("--password", "postgresql://u:pw@h/db", "***");
    redacts_after("--password", " x", "***");
    /* no more: psql's flag before the next option, an empty word, the word after
     * --password=VALUE or after another option, and never a short option (psql -p PORT) */
    redacts_after("--password", "-h", "-h");
    redacts_after("--password", "--port=5432", "--port=5432");
    redacts_after("--password", "", "");
    redacts_after("--password=x", "db", "db");
    redacts_after("--password-file", "f", "f");
    redacts_after("--passwords", "f", "f");
    redacts_after("-p", "5432", "5432");
    redacts_after("x--password", "f", "f");
    redacts_after("", "f", "f");
    /* the word itself still redacted as a word */
    redacts_after("-h", "postgresql://u:pw@h/db", "postgresql://u:***@h/db");
    redacts_after("--password", "--password=pw", "--password=***");
    ASSERT_TRUE(tach__redact_arg("--password", NULL) == NULL);
}

static void redacts_url(const char *in, const char *want)
{
    char *got = tach__redact_url(in);
    ASSERT_STREQ(want, got);
    tach__free(got);
}

TEST(a_string_that_is_one_url_keeps_its_blanks)
{
    /* a --store spec, tach push's URL: libpq reads a raw blank as the password's, in
     * user:PASSWORD@ and in ?password=, whatever comes before it */
    redacts_url("postgresql://u:12 34@h/db", "postgresql://u:***@h/db");
    redacts_url("postgresql://h/db?password=a b;c&x=1", "postgresql://h/db?password=***&x=1");
    redacts_url("postgresql://u:pw@h/db", "postgresql://u:***@h/db");
    redacts_url("./a b@c.db", "./a b@c.db");
    /* a raw '#' or '?' in the password: hidden whole, the host after it kept */
    redacts_url("postgresql://u:p#w@127.0.0.1:1/db", "postgresql://u:***@127.0.0.1:1/db");
    redacts_url("postgresql://u:p?w@h?sslmode=off", "postgresql://u:***@h?sslmode=off");
    redacts_arg("--store=postgresql://u:p#w@h/db", "--store=postgresql://u:***@h/db");
    redacts("connect postgresql://u:p#w@h/db: refused", "connect postgresql://u:***@h/db: refused");
    /* in text, a password of digits and a blank ("u:12 34@h"): hidden whole */
    redacts("postgresql://u:12 34@h/db", "postgresql://u:***@h/db");
    redacts("postgresql://h:5432 failed: a@b", "postgresql://h:5432 failed: a@b");
    ASSERT_TRUE(tach__redact_url(NULL) == NULL);
}

static void userinfo(const char *auth, size_t want_len, const char *want_pw)
{
    const char *pw = "unset";
    size_t pwlen = 12345;
    ASSERT_EQ(want_len, tach__url_userinfo(auth, false, &pw, &pwlen));
    if (!want_pw) {
        ASSERT_TRUE(pw == NULL);
        ASSERT_EQ(0, pwlen);
    } else {
        ASSERT_TRUE(pw != NULL);
        ASSERT_EQ(strlen(want_pw), pwlen);
        ASSERT_TRUE(!strncmp(want_pw, pw, pwlen));
    }
}

TEST(one_reading_of_user_password_at_host)
{
    userinfo("u:pw@host/db", 5, "pw");
    userinfo("u:p:w@h:5432/db", 6, "p:w");     /* the password from the first ':' */
    userinfo("u:p@ss@h/a@b", 7, "p@ss");       /* to the authority's last '@' */
    userinfo("u:pa ss@h", 8, "pa ss");         /* a space does not end it */
    userinfo("u:@h", 3, "");                   /* an empty password is one */
    userinfo("u@h:1/", 2, NULL);               /* a user alone */
    userinfo("@h", 1, NULL);
    userinfo("h:8080/a@b", 0, NULL);           /* an '@' in the path */
    /* a raw '?' or '#' before the first '/' does not end it: libpq reads a password
     * to the '@' (a password with one was shown from it on) */
    userinfo("u:p#w@127.0.0.1:1/db", 6, "p#w");
    userinfo("u:p?w#x@h?a=b", 8, "p?w#x");
    userinfo("h?x=a:b@c", 8, "b");             /* an '@' in a query before any '/' */
    userinfo("h#a:b@c", 6, "b");
    ASSERT_EQ(6, tach__url_userinfo("u:p#w@h x@y", true, NULL, NULL));
    userinfo("", 0, NULL);
    ASSERT_EQ(4, tach__url_userinfo("u:p@h", false, NULL, NULL)); /* the host at auth + 4 */
    /* in text (word) the authority ends at a blank too, but for a password's */
    ASSERT_EQ(0, tach__url_userinfo("h:8080 -H a:b@c", true, NULL, NULL));
    ASSERT_EQ(5, tach__url_userinfo("u:pw@h x@y", true, NULL, NULL));
    ASSERT_EQ(5, tach__url_userinfo("u:pw@h: x@y", true, NULL, NULL));
    ASSERT_EQ(0, tach__url_userinfo("h: a:b@c", true, NULL, NULL));       /* HOST: */
    ASSERT_EQ(0, tach__url_userinfo("h:5432: a:b@c", true, NULL, NULL));  /* HOST:PORT */
    ASSERT_EQ(0, tach__url_userinfo("h:5432\na:b@c", true, NULL, NULL));
    ASSERT_EQ(0, tach__url_userinfo("h a:b@c", true, NULL, NULL));
    ASSERT_EQ(0, tach__url_userinfo("[::1] a:b@c", true, NULL, NULL));
    ASSERT_EQ(0, tach__url_userinfo("[::1]:1 a:b@c", true, NULL, NULL));
    ASSERT_EQ(8, tach__url_userinfo("u:pa ss@h x@y", true, NULL, NULL)); /* a password's */
    ASSERT_EQ(9, tach__url_userinfo("u:a\tb\r c@h", true, NULL, NULL));
    ASSERT_EQ(0, tach__url_userinfo("u:pa ss/x@y", true, NULL, NULL));   /* '/' still ends it */
    /* a ':' and digits before a blank: a password when the next run holds an '@' */
    ASSERT_EQ(8, tach__url_userinfo("u:12 34@h", true, NULL, NULL));
    ASSERT_EQ(11, tach__url_userinfo("u:12 34 56@h x", true, NULL, NULL));
    ASSERT_EQ(0, tach__url_userinfo("h:5432 x/a@b", true, NULL, NULL));  /* '/' first */
    ASSERT_EQ(0, tach__url_userinfo("h:5432 a:b@c", true, NULL, NULL));  /* ':' first */
    ASSERT_EQ(0, tach__url_userinfo("h:5432 failed", true, NULL, NULL));
    /* one URL (not word): to '/', '?' or '#' only */
    ASSERT_EQ(8, tach__url_userinfo("h:1 a:b@c", false, NULL, NULL));
}

/* The passwords tach__password_next finds in s (at most 3), "|"-separated. */
static void finds(const char *s, bool word, const char *want)
{
    char got[256] = "";
    const char *pw;
    size_t len, n = 0;
    for (const char *p = s; n < 3 && (pw = tach__password_next(s, p, word, &len)); p = pw + len, n++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%.*s", n ? "|" : "", (int)len, pw);
    ASSERT_STREQ(want, got);
}

TEST(one_reading_of_where_a_password_is)
{
    /* a store URL, one string (what the PostgreSQL store hides in libpq's messages, raw
     * and decoded): user:PASSWORD@ to the authority's end, ?password= to its '&' or '#',
     * any case, a ';' and a blank in it the password's */
    finds("postgresql://u:p w@h/db?x=1&PASSWORD=q;r s#f", false, "p w|q;r s");
    finds("postgresql://h/db?password=s3cr%zzet", false, "s3cr%zzet");
    finds("postgresql://h/db?sslmode=off&password=", false, "");
    finds("postgresql://u@h/db?xpassword=a&x=password=b", false, "");
    /* text: a URL parameter ends at a blank too */
    finds("postgresql://h/db?password=q;r s", true, "q;r");
    /* libpq's keyword form: a plain value to a blank (its ';', '&' and '#' its own, a
     * backslash escaping a blank), a quoted one to its quote (\' and \\ escaped),
     * blanks around the '=' (libpq skips them) */
    finds("host=h password=a;b&c#d e", true, "a;b&c#d");
    finds("host=h password=a\\ b c", true, "a\\ b");
    finds("host=h password='a b\\'c' x", true, "'a b\\'c'");
    finds("host=h password='a\\\\' x", true, "'a\\\\'");
    finds("host=h password = 'a b' x", true, "'a b'");
    finds("host=h PASSWORD =\tp;q x", true, "p;q");
    finds("password=a;b", false, "a;b");
    /* after a shell's quote: to that quote */
    finds("psql \"password=a;b\" 'password=c d' x", true, "a;b|c");
    finds("a http://a:b@x/ b http://c:d@y/", true, "b|d");
    finds("no password", true, "");
}

TEST(a_password_key_is_redacted)
{
    redacts("host=h password=pw dbname=d", "host=h password=*** dbname=d");
    redacts("host=h PASSWORD='a b\\'c' user=u", "host=h PASSWORD=*** user=u");
    redacts("postgresql://h/db?sslmode=off&password=pw&x=1", "postgresql://h/db?sslmode=off&password=***&x=1");
    redacts("password=pw", "password=***");
    /* libpq reads password=a;b as "a;b": it was shown as password=***;b */
    redacts("host=h password=a;b dbname=d", "host=h password=*** dbname=d");
    redacts("password = a&b#c", "password = ***");
    redacts("psql \"host=h password=a;b dbname=d\"", "psql \"host=h password=*** dbname=d\"");
    redacts("psql \"password=a;b host=h\"", "psql \"password=*** host=h\"");
    /* a URL parameter's ';' is its password's (the store's URL, read so by libpq) */
    redacts("postgresql://h/db?password=a;b&x=1", "postgresql://h/db?password=***&x=1");
    /* a key that only ends in "password" is another key */
    redacts("sslpassword_file=x", "sslpassword_file=x");
    /* a value opened by a shell's quote: to its matching quote */
    redacts_arg("psql password=\"a b\" host=h", "psql password=*** host=h");
    redacts("psql password=\"a \\\" b\" host=h", "psql password=*** host=h");
    /* a shell's PGPASSWORD= and --password= (and --password VALUE in one string) */
    redacts("PGPASSWORD=sec psql -h h", "PGPASSWORD=*** psql -h h");
    redacts("env PGPASSWORD='a b' psql", "env PGPASSWORD=*** psql");
    redacts("env PGPASSWORD=\"a b\" psql", "env PGPASSWORD=*** psql");
    redacts_arg("--password=sec", "--password=***");
    redacts("mysql --password=sec -h h", "mysql --password=*** -h h");
    redacts("tool --password sec -h h", "tool --password *** -h h");
    /* ... and no more: psql's --password flag, other keys and words */
    redacts("psql --password -h h", "psql --password -h h");
    redacts("psql --password", "psql --password");
    redacts("x --password-file=f --passwords=a", "x --password-file=f --passwords=a");
    redacts("MYPGPASSWORD=a XPGPASSWORD=b pgpassword_file=c", "MYPGPASSWORD=a XPGPASSWORD=b pgpassword_file=c");
    redacts("echo PGPASSWORD is unset", "echo PGPASSWORD is unset");
}

TEST(terminal_text_loses_its_controls)
{
    char s[] = "a\033[31mb\r\nc\t\xc2\x9b" "d\xff" "\xc3\xa9";
    tach__terminal_safe(s, false);
    ASSERT_STREQ("a [31mb  c   d?\xc3\xa9", s);
    char t[] = "line\none\ttab\033";
    tach__terminal_safe(t, true);
    ASSERT_STREQ("line\none\ttab ", t);
}

static void classifies(const char *s, size_t want_len, unsigned want_control)
{
    unsigned cp = 12345;
    ASSERT_EQ(want_len, tach__utf8_control(s, &cp));
    ASSERT_EQ(want_control, cp);
}

TEST(one_definition_of_a_control_character)
{
    classifies("a", 1, 0);
    classifies("\n", 1, '\n');
    classifies("\t", 1, '\t');
    classifies("\033[", 1, 0x1b);
    classifies("\x7f", 1, 0x7f);
    classifies("\xc2\x80", 2, 0x80);    /* C1 */
    classifies("\xc2\x9b", 2, 0x9b);    /* the 8-bit CSI */
    classifies("\xc2\xa0", 2, 0);       /* NBSP: printable */
    classifies("\xc3\xa9", 2, 0);       /* é */
    classifies("\xe2\x82\xac", 3, 0);  /* € */
    classifies("\xff", 0, 0);           /* not UTF-8 */
    classifies("\xc2", 0, 0);           /* cut off */
    classifies("\xc0\x9b", 0, 0);       /* an overlong CSI is not one */
}

/* Whether the system has C.UTF-8, which the widths below are wcwidth's under; without
 * it tach__display_width counts code points, as these tests then check. */
static bool have_c_utf8(void)
{
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (l) freelocale(l);
    else printf("note: no C.UTF-8 locale: widths are code points\n");
    return l != (locale_t)0;
}

#define CJK "\xe5\x90\x8d\xe5\x89\x8d"   /* 名前: two wide characters */
#define EMOJI "\xf0\x9f\x98\x80"            /* U+1F600: one wide character */
#define ACUTE "\xcc\x81"                      /* U+0301, combining: no column */
#define ELLIPSIS "\xe2\x80\xa6"

TEST(display_width_counts_terminal_columns)
{
    /* one column each, as before: ASCII, µ and ±, a precomposed é */
    ASSERT_EQ(7, tach__display_width("1.00 \xc2\xb5s"));
    ASSERT_EQ(3, tach__display_width("\xc2\xb1" "a\xc3\xa9"));
    ASSERT_EQ(0, tach__display_width(""));
    ASSERT_EQ(0, tach__display_width(NULL));
    ASSERT_EQ(1, tach__display_width("\xff")); /* not UTF-8: shown as one '?' */
    bool utf8 = have_c_utf8();
    /* a CJK name, an emoji, a combining accent (e + U+0301 is one é on the screen) */
    ASSERT_EQ(utf8 ? 9 : 7, tach__display_width("bm/" CJK "/x"));
    ASSERT_EQ(utf8 ? 3 : 2, tach__display_width(EMOJI "!"));
    ASSERT_EQ(utf8 ? 4 : 5, tach__display_width("cafe" ACUTE));
    ASSERT_EQ(utf8 ? 2 : 1, tach__display_width("\xef\xbc\xa1")); /* fullwidth A */
    ASSERT_EQ(utf8 ? 1 : 2, tach__display_width("a\xe2\x80\x8d")); /* zero width joiner */
    /* the caller's locale is left as it was (a C program starts in "C") */
    ASSERT_TRUE(uselocale((locale_t)0) == LC_GLOBAL_LOCALE);
    ASSERT_EQ(-1, wcwidth(0x540D)); /* no UTF-8 in "C": the thread's locale was restored */
}

#define ZWJ "\xe2\x80\x8d"                 /* U+200D zero width joiner */
#define VS16 "\xef\xb8\x8f"                /* U+FE0F: drawn as an emoji */
#define MAN "\xf0\x9f\x91\xa8"
#define WOMAN "\xf0\x9f\x91\xa9"
#define GIRL "\xf0\x9f\x91\xa7"

/* An emoji sequence is one picture on a terminal, two columns, not its parts' sum: a
 * family joined by ZWJs (was 6), a heart with VS16 (was 1), a thumbs-up with a skin
 * tone (was 4), a keycap; a table row of such a name was a column or more off. */
TEST(display_width_of_emoji_sequences)
{
    if (!have_c_utf8()) return;
    ASSERT_EQ(2, tach__display_width(MAN ZWJ WOMAN ZWJ GIRL));
    ASSERT_EQ(4, tach__display_width("[" MAN ZWJ WOMAN ZWJ GIRL "]"));
    ASSERT_EQ(2, tach__display_width("\xe2\x9d\xa4" VS16));                   /* ❤️ */
    ASSERT_EQ(3, tach__display_width("\xe2\x9d\xa4" VS16 "x"));
    ASSERT_EQ(2, tach__display_width("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd")); /* 👍🏽 */
    ASSERT_EQ(2, tach__display_width("1" VS16 "\xe2\x83\xa3"));                /* 1️⃣ */
    ASSERT_EQ(2, tach__display_width("\xf0\x9f\x8f\xb3" VS16 ZWJ "\xf0\x9f\x8c\x88")); /* 🏳️‍🌈 */
    ASSERT_EQ(2, tach__display_width("\xf0\x9f\x8f\x83" ZWJ "\xe2\x99\x82" VS16)); /* 🏃‍♂️ */
    ASSERT_EQ(3, tach__display_width("\xf0\x9f\x91\x8d" ZWJ "a")); /* a letter is not joined */
    ASSERT_EQ(8, tach__display_width(CJK ZWJ CJK)); /* only emoji join, not ideographs */
    ASSERT_EQ(6, tach__display_width("a" ZWJ CJK "x"));
    ASSERT_EQ(6, tach__display_width(CJK ZWJ "\xf0\x9f\x91\x8d")); /* 名前 then 👍 */
    ASSERT_EQ(1, tach__display_width("a" VS16));  /* a letter has no emoji form */
    ASSERT_EQ(1, tach__display_width(ZWJ "a"));   /* a ZWJ first joins nothing */
    ASSERT_EQ(4, tach__display_width(EMOJI EMOJI)); /* two emoji, not joined */
    /* cut: the joined picture is kept whole or not at all */
    size_t w = 0;
    const char *fam = MAN ZWJ WOMAN ZWJ GIRL "x";
    ASSERT_EQ(strlen(fam) - 1, tach__width_prefix(fam, 2, SIZE_MAX, &w));
    ASSERT_EQ(2, w);
}

static void prefix_is(const char *s, size_t cols, size_t max, size_t want_len, size_t want_width)
{
    size_t w = 12345;
    ASSERT_EQ(want_len, tach__width_prefix(s, cols, max, &w));
    ASSERT_EQ(want_width, w);
}

TEST(a_prefix_is_cut_by_the_same_width)
{
    prefix_is("abc", 2, SIZE_MAX, 2, 2);
    prefix_is("abc", 9, 1, 1, 1); /* the byte limit */
    prefix_is(NULL, 9, 9, 0, 0);
    if (!have_c_utf8()) return;
    prefix_is(CJK "x", 3, SIZE_MAX, 3, 2);    /* the second wide character takes 2 */
    prefix_is(CJK "x", 4, SIZE_MAX, 6, 4);
    prefix_is(CJK, 4, 5, 3, 2);               /* never half a character */
    prefix_is(EMOJI EMOJI, 3, SIZE_MAX, 4, 2);
    prefix_is("e" ACUTE "z", 1, SIZE_MAX, 3, 1); /* the accent stays with its letter */
}

/* printf's "%.Ns" cut bytes, inside a character: "%.*s" with tach__utf8_prec does not */
TEST(a_printf_precision_ends_at_a_character)
{
    char buf[64];
    ASSERT_EQ(3, tach__utf8_prec("abcdef", 3));
    ASSERT_EQ(2, tach__utf8_prec("ab", 60));
    ASSERT_EQ(0, tach__utf8_prec(NULL, 9));
    ASSERT_EQ(1, tach__utf8_prec("a" CJK, 3)); /* 名 is 3 bytes: not a byte of it */
    ASSERT_EQ(4, tach__utf8_prec("a" CJK, 4));
    ASSERT_EQ(4, tach__utf8_prec(EMOJI EMOJI, 7));
    ASSERT_EQ(3, tach__utf8_prec("ab\xff" "c", 3)); /* a byte that is not UTF-8 is one */
    const char *euro = "a\xe2\x82\xac\xe2\x82\xac";
    snprintf(buf, sizeof buf, "[%.*s]", tach__utf8_prec(euro, 5), euro);
    ASSERT_STREQ("[a\xe2\x82\xac]", buf);
}

/* s in a cell of w columns is want, exactly w columns wide whatever s holds. */
static void cell_is(const char *s, int w, const char *want)
{
    char buf[64];
    ASSERT_STREQ(want, cli_term_cell(s, w, buf, sizeof buf));
    ASSERT_EQ((size_t)w, tach__display_width(buf));
}

TEST(a_table_cell_is_cut_and_padded_by_display_width)
{
    cell_is("abc", 5, "abc  ");
    cell_is("abcdef", 4, "abc" ELLIPSIS);
    if (!have_c_utf8()) return;
    cell_is(CJK, 5, CJK " ");
    cell_is(CJK, 4, CJK);
    cell_is(CJK CJK, 5, CJK ELLIPSIS);
    cell_is(CJK CJK, 6, CJK ELLIPSIS " "); /* a wide character does not fit in 1 column */
    cell_is(EMOJI "x", 4, EMOJI "x ");
    cell_is("cafe" ACUTE, 5, "cafe" ACUTE " ");
    cell_is("cafe" ACUTE "s", 5, "cafe" ACUTE "s");
    cell_is("e" ACUTE "e" ACUTE "e" ACUTE, 2, "e" ACUTE ELLIPSIS);
    /* zero-width characters by the dozen: cut at a character where buf ends, not
     * mid-character with its padding lost */
    char heavy[128] = "ab";
    for (int i = 0; i < 30; i++) strcat(heavy, ACUTE);
    char buf[4 * 4 + 4];
    const char *c = cli_term_cell(heavy, 4, buf, sizeof buf);
    ASSERT_EQ(4, tach__display_width(c));
    ASSERT_TRUE(strlen(c) < sizeof buf);
    ASSERT_TRUE(strstr(c, ELLIPSIS) != NULL);
    for (const char *p = c; *p; p += tach__utf8_len((const unsigned char *)p))
        ASSERT_TRUE(tach__utf8_len((const unsigned char *)p) > 0);
}

TEST(the_reader_takes_regular_files_only)
{
    char err[TACH__ERR_MAX] = "";
    ASSERT_TRUE(tach__read_file("/dev/zero", NULL, err) == NULL);
    ASSERT_TRUE(strstr(err, "not a regular file") != NULL);
    char dir[] = "/tmp/tach_safety_XXXXXX";
    ASSERT_TRUE(mkdtemp(dir) != NULL);
    char fifo[64];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    ASSERT_EQ(0, mkfifo(fifo, 0600));
    err[0] = '\0';
    ASSERT_TRUE(tach__read_file(fifo, NULL, err) == NULL); /* at once, not blocked */
    ASSERT_TRUE(strstr(err, "FIFO") != NULL);
    unlink(fifo);
    rmdir(dir);
}

TEST(the_reader_stops_at_the_limit)
{
    char path[] = "/tmp/tach_safety_XXXXXX";
    int fd = mkstemp(path);
    ASSERT_TRUE(fd >= 0);
    char block[1000];
    memset(block, 'x', sizeof block);
    ASSERT_EQ((ssize_t)sizeof block, write(fd, block, sizeof block));
    close(fd);
    char err[TACH__ERR_MAX] = "";
    size_t len = 0;
    tach__set_read_limit(1000);
    char *text = tach__read_file(path, &len, err);
    ASSERT_TRUE(text != NULL);
    ASSERT_EQ((size_t)1000, len);
    tach__free(text);
    tach__set_read_limit(999);
    ASSERT_TRUE(tach__read_file(path, &len, err) == NULL);
    ASSERT_TRUE(strstr(err, "larger than the input limit of 999 bytes") != NULL);
    tach__set_read_limit(0); /* the default again */
    ASSERT_EQ(TACH__READ_LIMIT_DEFAULT, tach__read_limit());
    unlink(path);
}

/* tach__err_in holds as much as its caller's err does (a --dir as long as a path, said
 * whole by the storage suite), cuts at its size, and takes a NULL err. */
TEST(err_in_holds_what_its_buffer_holds)
{
    char path[700] = "/mnt";
    while (strlen(path) < 600) strcat(path, "/dddddddddd");
    char big[1024], small[16];
    ASSERT_EQ(-1, tach__err_in(big, sizeof big, "cannot examine '%s': %s", path, "No such file"));
    ASSERT_TRUE(strlen(big) > TACH__ERR_MAX);
    ASSERT_TRUE(strstr(big, path) != NULL);
    ASSERT_TRUE(strstr(big, "': No such file") != NULL);
    ASSERT_EQ(-1, tach__err_in(small, sizeof small, "%s", path));
    ASSERT_EQ(15, strlen(small));
    ASSERT_EQ(-1, tach__err_in(NULL, 64, "%s", path));
}

/* A message naming a long path said its start and was cut there, the reason lost: the
 * path's middle gives way, its file's name and the reason stay, a short one is whole. */
TEST(a_long_path_gives_its_middle_to_the_reason)
{
    char err[TACH__ERR_MAX];
    tach__err_named(err, "cannot open ", "/tmp/x.json", ": %s", "No such file or directory");
    ASSERT_STREQ("cannot open /tmp/x.json: No such file or directory", err);
    char path[700] = "/tmp";
    while (strlen(path) < 600) strcat(path, "/d" CJK CJK CJK "dd"); /* a character at every cut */
    strcat(path, "/x.json");
    char *missing = tach__read_file(path, NULL, err);
    ASSERT_TRUE(missing == NULL);
    ASSERT_TRUE(strlen(err) <= TACH__ERR_NAMED_MAX); /* room for a caller's "--flag: " */
    ASSERT_TRUE(!strncmp(err, "cannot open /tmp/d" CJK, strlen("cannot open /tmp/d" CJK)));
    const char *end = ELLIPSIS "/d" CJK CJK CJK "dd/x.json: No such file or directory";
    ASSERT_TRUE(strstr(err, ELLIPSIS "/d" CJK) != NULL); /* the end from a '/' */
    ASSERT_STREQ(end + strlen(end) - strlen("dd/x.json: No such file or directory"),
                 err + strlen(err) - strlen("dd/x.json: No such file or directory"));
    for (const char *p = err; *p; p += tach__utf8_len((const unsigned char *)p))
        ASSERT_TRUE(tach__utf8_len((const unsigned char *)p) > 0); /* no character cut */
    char buf[64];
    ASSERT_STREQ("/a/b", tach__elide("/a/b", 16, buf, sizeof buf));
    ASSERT_STREQ("", tach__elide(NULL, 16, buf, sizeof buf));
    const char *e = tach__elide("/usr/local/share/abcdefgh/ijklmnop/file.c", 30, buf, sizeof buf);
    ASSERT_TRUE(strlen(e) <= 30); /* cut at a '/' on each side when one is near */
    ASSERT_STREQ("/usr" ELLIPSIS "/ijklmnop/file.c", e);
}

/* Whether a child whose fd 0 was closed, given /dev/null opened close-on-exec (which
 * takes fd 0) and moved to 0 by tach__dup_to, still has an fd 0 after exec. */
static int exec_sees_fd0(void)
{
    pid_t p = fork();
    if (p == 0) {
        close(0);
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd != 0 || tach__dup_to(fd, 0) != 0) _exit(3);
        execl("/bin/sh", "sh", "-c", "test -e /proc/self/fd/0", (char *)NULL);
        _exit(4);
    }
    int st = 0;
    if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}

TEST(a_stream_moved_onto_itself_stays_open_across_exec)
{
    ASSERT_EQ(0, exec_sees_fd0()); /* 1: no fd 0 after exec (a bare dup2(0, 0)) */
    /* another descriptor is dup2'd as usual, the copy without FD_CLOEXEC */
    int a = open("/dev/null", O_RDONLY | O_CLOEXEC), b = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_TRUE(a >= 0 && b >= 0);
    ASSERT_EQ(0, tach__dup_to(a, b));
    ASSERT_EQ(0, fcntl(b, F_GETFD) & FD_CLOEXEC);
    close(a);
    close(b);
}

TEST_MAIN()
