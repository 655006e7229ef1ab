#include "trace/trace-vcm_overlay_hw_smmu_vcm.h"
