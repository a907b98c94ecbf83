/* gst-voicelive
 * The plugin entry point: registers voicelivesink, voicelivesrc,
 * voicelivetextsrc and voiceliveavatarsrc (on the thread that loads the
 * plugin).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include "gstvoicelivesink.h"
#include "gstvoicelivesrc.h"
#include "gstvoicelivetextsrc.h"
#include "gstvoiceliveavatarsrc.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (voicelivesink, plugin);
  ret |= GST_ELEMENT_REGISTER (voicelivesrc, plugin);
  ret |= GST_ELEMENT_REGISTER (voicelivetextsrc, plugin);
  ret |= GST_ELEMENT_REGISTER (voiceliveavatarsrc, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, voicelive,
    "Real-time voice agents (Azure AI Voice Live, OpenAI-Realtime-style "
    "services) in a pipeline", plugin_init, VERSION, GST_LICENSE,
    GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
