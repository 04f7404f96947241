/*
 * config_live.c: snapshots of the configuration in force (config_live.h).
 *
 * Each snapshot counts the threads holding it. A thread's hold lives in a
 * pthread key whose destructor gives it back when the thread ends. The
 * newest snapshot is never freed; an older one is freed by the last
 * thread to let go of it. The newest serial is an atomic, so a refresh
 * that finds nothing new takes no lock.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_live.h"
#include "log.h"
#include "settings.h"

struct snapshot {
	struct config *config;
	uint64_t serial;
	unsigned holders;
	struct snapshot *next; /* the older ones still held */
};

static struct {
	pthread_mutex_t lock;
	pthread_key_t key;
	bool started;
	struct config *file;      /* the file part in force */
	struct setting_row *rows; /* the database's settings, last read */
	size_t nrows;
	int64_t generation;       /* theirs; -1 before the first read */
	struct snapshot *current; /* the newest */
	struct snapshot *retired; /* older, still held by some thread */
	atomic_uint_fast64_t serial;
} live = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void
snapshot_free(struct snapshot *snap)
{
	config_free(snap->config);
	free(snap);
}

/* release: one holder less (lock held) */
static void
release(struct snapshot *snap)
{
	struct snapshot **p;

	if (--snap->holders > 0 || snap == live.current)
		return;
	for (p = &live.retired; *p != NULL; p = &(*p)->next)
		if (*p == snap) {
			*p = snap->next;
			break;
		}
	snapshot_free(snap);
}

static void
thread_ended(void *held)
{
	pthread_mutex_lock(&live.lock);
	release(held);
	pthread_mutex_unlock(&live.lock);
}

/* publish: a new newest snapshot of file + rows (lock held) */
static void
publish(void)
{
	struct snapshot *snap = calloc(1, sizeof *snap), *old = live.current;

	if (snap == NULL)
		abort();
	snap->config =
	    settings_overlay(live.file, live.rows, live.nrows, live.generation);
	snap->serial = atomic_load(&live.serial) + 1;
	snap->config->serial = snap->serial;
	live.current = snap;
	if (old != NULL) {
		if (old->holders == 0)
			snapshot_free(old);
		else {
			old->next = live.retired;
			live.retired = old;
		}
	}
	atomic_store(&live.serial, snap->serial);
}

void
config_live_start(const struct config *file)
{
	pthread_mutex_lock(&live.lock);
	if (!live.started) {
		if (pthread_key_create(&live.key, thread_ended) != 0)
			abort();
		live.started = true;
	}
	config_free(live.file);
	live.file = config_dup(file);
	live.generation = -1;
	publish();
	pthread_mutex_unlock(&live.lock);
}

void
config_live_stop(void)
{
	struct snapshot *snap, *next;
	void *held;

	if (!live.started)
		return;
	/* this thread's hold; the other threads have ended */
	if ((held = pthread_getspecific(live.key)) != NULL) {
		pthread_setspecific(live.key, NULL);
		thread_ended(held);
	}
	pthread_mutex_lock(&live.lock);
	for (snap = live.retired; snap != NULL; snap = next) {
		next = snap->next;
		snapshot_free(snap);
	}
	live.retired = NULL;
	if (live.current != NULL)
		snapshot_free(live.current);
	live.current = NULL;
	config_free(live.file);
	live.file = NULL;
	setting_rows_free(live.rows, live.nrows);
	live.rows = NULL;
	live.nrows = 0;
	pthread_mutex_unlock(&live.lock);
}

const struct config *
config_live_refresh(void)
{
	struct snapshot *held;

	if (!live.started)
		return NULL;
	held = pthread_getspecific(live.key);
	if (held != NULL && held->serial == atomic_load(&live.serial))
		return held->config;
	pthread_mutex_lock(&live.lock);
	if (live.current == NULL) { /* stopped */
		pthread_mutex_unlock(&live.lock);
		return held != NULL ? held->config : NULL;
	}
	live.current->holders++;
	if (held != NULL)
		release(held);
	held = live.current;
	pthread_mutex_unlock(&live.lock);
	pthread_setspecific(live.key, held);
	return held->config;
}

struct config *
config_live_file(void)
{
	struct config *copy;

	pthread_mutex_lock(&live.lock);
	copy = live.file != NULL ? config_dup(live.file) : NULL;
	pthread_mutex_unlock(&live.lock);
	return copy;
}

int
config_live_sync(struct store *s, bool force, struct error *err)
{
	struct setting_row *rows = NULL;
	int64_t generation, seen;
	size_t n;

	if (!live.started)
		return 0;
	if (store_settings_generation(s, &generation, err) != 0)
		return -1;
	pthread_mutex_lock(&live.lock);
	seen = live.generation;
	pthread_mutex_unlock(&live.lock);
	if (generation == seen && !force)
		return 0;
	if (store_settings_list(s, &rows, &n, &generation, err) != 0)
		return -1;
	pthread_mutex_lock(&live.lock);
	/* two syncs may race: the newer generation wins */
	if (generation < live.generation) {
		pthread_mutex_unlock(&live.lock);
		setting_rows_free(rows, n);
		return 0;
	}
	setting_rows_free(live.rows, live.nrows);
	live.rows = rows;
	live.nrows = n;
	live.generation = generation;
	publish();
	pthread_mutex_unlock(&live.lock);
	log_info("settings loaded generation=%lld changed=%zu",
	    (long long)generation, n);
	return 1;
}

int
config_live_reload_file(const char *program)
{
	struct config *next;
	struct error err;
	char restart[1024], path[1024];

	if (!live.started)
		return -1;
	pthread_mutex_lock(&live.lock);
	snprintf(path, sizeof path, "%s", live.file->path);
	pthread_mutex_unlock(&live.lock);
	error_clear(&err);
	if ((next = config_load(path, &err)) == NULL) {
		log_warn(
		    "SIGHUP: %s: the configuration in force is kept", err.msg);
		return -1;
	}
	pthread_mutex_lock(&live.lock);
	config_carry_restart_keys(next, live.file, restart, sizeof restart);
	config_free(live.file);
	live.file = next;
	publish();
	pthread_mutex_unlock(&live.lock);
	if (restart[0] != '\0')
		log_warn("SIGHUP: %s changed %s: restart %s to apply that;"
		         " the rest of the file is applied",
		    path, restart, program);
	else
		log_info("SIGHUP: %s read again and applied", path);
	return 0;
}
