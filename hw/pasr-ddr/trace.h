#include "trace/trace-vcm_overlay_hw_pasr_ddr.h"
