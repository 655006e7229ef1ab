// SPDX-License-Identifier: GPL-2.0
/*
 * vcm_test: guest test driver for the emulated vcm-dma master behind an
 * smmu-vcm IOMMU. It binds to "qemu,vcm-dma" device-tree nodes, which
 * makes the IOMMU core xlate the master's "iommus" and put it in a group,
 * and reports what it found with lines the boot tests match.
 */

#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

static int vcm_test_probe(struct platform_device *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);

	if (!group) {
		dev_info(&pdev->dev, "vcm-test: no iommu group\n");
		return 0;
	}
	dev_info(&pdev->dev, "vcm-test: in iommu group %d\n",
		 iommu_group_id(group));
	iommu_group_put(group);
	return 0;
}

static const struct of_device_id vcm_test_of_match[] = {
	{ .compatible = "qemu,vcm-dma" },
	{ }
};
MODULE_DEVICE_TABLE(of, vcm_test_of_match);

static struct platform_driver vcm_test_driver = {
	.probe = vcm_test_probe,
	.driver = {
		.name = "vcm-test",
		.of_match_table = vcm_test_of_match,
	},
};
module_platform_driver(vcm_test_driver);

MODULE_DESCRIPTION("Guest test driver for smmu-vcm / vcm-dma");
MODULE_LICENSE("GPL");
