/* gst-voicelive: the pool of network threads, each running a GMainContext
 * that several sessions share. Called from any thread; a thread's kick
 * source calls back into its sessions on that thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_NET_H__
#define __GST_VOICE_LIVE_NET_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _VlNetLoop VlNetLoop;

/* Called on the loop's thread for each object passed to
 * gst_voice_live_net_kick(). */
typedef void (*VlNetFlushFunc) (gpointer object);

/* A network thread for one session, from init to finalize. @flush must be
 * the same function for every caller. */
VlNetLoop *gst_voice_live_net_acquire (VlNetFlushFunc flush);
/* The session is gone: nothing of it is left on the loop's context. */
void gst_voice_live_net_release (VlNetLoop * loop);
/* Valid while the loop is held */
GMainContext *gst_voice_live_net_get_context (VlNetLoop * loop);

/* Any thread: have the loop's thread call flush (@object) soon. Takes a
 * ref on @object until then. */
void gst_voice_live_net_kick (VlNetLoop * loop, GstObject * object);

/* Any thread: run @func on @ctx's thread (an idle at default priority). */
void gst_voice_live_net_invoke (GMainContext * ctx, GSourceFunc func,
    gpointer data, GDestroyNotify destroy);

/* One-shot timers of the objects that live on a network thread. */
typedef void (*VlNetTimerFunc) (gpointer data);

/* On the calling thread's context: @timeout (a new timeout source, taken)
 * runs @func once. @slot holds the timer (one ref) until then: it is empty
 * again when @func runs. A timer already in @slot is removed first. */
void gst_voice_live_net_timer_once (GSource ** slot, GSource * timeout,
    VlNetTimerFunc func, gpointer data, GDestroyNotify destroy);
/* Removes the source in @slot, if any, and empties @slot. */
void gst_voice_live_net_clear_source (GSource ** slot);

G_END_DECLS

#endif
