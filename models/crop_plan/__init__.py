"""The crop-structure planner (issue #5): which crops, where and when, for the most farm income at a
chosen risk, within the grain floor, the land, the labour and what the market takes.

    outlook = CropOutlook().fit(history, province=province).outlook_      # at build time
    data = PlanData.from_frames(history, land, crops, outlook, regions,   # once per warehouse
                                assumptions=assumptions.for_region(home))  # crops, demand, seasons
    plan = CropPlanner(PlanInputs(region=prefecture)).fit(data).result_   # per scenario
"""

from models.crop_plan import assumptions
from models.crop_plan.assumptions import Assumptions
from models.crop_plan.data import PlanData
from models.crop_plan.errors import InfeasiblePlan, InvalidPlanInput, PlanError
from models.crop_plan.expectations import CropOutlook
from models.crop_plan.inputs import PlanInputs
from models.crop_plan.planner import CropPlanner
from models.crop_plan.result import CropPlan

__all__ = ["Assumptions", "CropOutlook", "CropPlan", "CropPlanner", "InfeasiblePlan", "InvalidPlanInput", "PlanData", "PlanError",
           "PlanInputs", "assumptions"]
