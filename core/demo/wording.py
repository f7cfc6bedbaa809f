"""What the demo writes in the timeline: short Chinese reasons as staff would type them, and
the backend's own steps (intake, automatic dispatch) as the backend writes them, `中文 (English)`
(the console shows one part; a person's words show as typed)."""

# The backend's own steps in the seeded history (Role.SYSTEM actors).
RECEIVED = "收到平台订单 (received from the platform)"
SYSTEM_STEPS = {
    "audit": "资料齐全，自动审核通过 (complete: passed the automatic audit)",
    "place": "按收货地址落区 (placed by the delivery address)",
    "classify": "按商品归类 (classified by the goods)",
    "open_dispatch": "自动派单 (automatic dispatch)",
}
# The same intake steps typed by the centre's stand-in (a person: his words as typed).
AUDITED = "资料齐全，审核通过"
PLACED = "按收货地址落区"
CLASSIFIED = "按商品归类"
ACCEPTED = "已接单"
APPOINTED = "已电话联系客户，约定上门时间"
REAPPOINTED = "客户改约"
CHECKED_IN = "已到达客户家"
COMPLETED = "服务完成，客户已签字"
VERIFIED = "电话回访，客户确认完工"
REVIEW_STARTED = "提交完工资料审核"
REVIEW_PASSED = "完工资料齐全，审核通过"
# The verification review queue (核验审核) as the stand-in desk decides what the backend left.
VERIFICATION_APPROVED = "电话回访，客户确认完工，核验通过"
VERIFICATION_REJECTED = "核验证据存疑，回访客户不认可，驳回冻结"
# Why a technician could not complete the visit, by code (core.orders.lifecycle
# .CannotCompleteCode), as he would put it.
CANNOT_COMPLETE = {
    "customer_absent": "到达后客户不在家，电话无人接听",
    "parts_missing": "到货缺少配件，需补发后再上门",
    "site_not_ready": "现场未通电，暂不具备安装条件",
    "customer_declines": "客户表示不需要安装了",
    "needs_other_trade": "墙体需要打孔改线，需电工先处理",
    "other": "现场情况复杂，需要客服协调",
}
SETTLED = "已按结算标准结算"
CLOSED = "结算完成，订单关闭"
CANCELLED = "客户取消"
FROZEN = "客户出差，暂缓上门"
AFTER_SALES = "空调漏水，客户报修"
REFUSE_REASONS = ("时间冲突", "时间冲突", "距离太远", "缺少所需配件", "当天已排满")
# The audit review queue (刷单 checks) as the simulator's stand-in agent decides it.
REVIEW_APPROVED = "电话回访确认为真实订单，审核通过"
REVIEW_REJECTED = "电话回访无人接听且地址不符，判定为刷单，驳回"
# Facts the centre marks on an arriving order, so escalation and grab prices show in the demo.
MARK_VIP = "平台 VIP 客户，优先安排"
MARK_URGENT = "客户来电催促，要求尽快上门，标记加急"
MARK_GRAB_PRICE = "非标安装，按平台报价设抢单价 {yuan} 元"
# Refusals by code (core.orders.lifecycle.RefusalCode), as a technician would put it.
REFUSALS = {
    "too_far": ("距离太远，路上要一个多小时", "不顺路，太远了"),
    "no_time": ("时间冲突", "当天已排满"),
    "lacks_skill": ("没装过这个型号，怕装不好",),
    "price_too_low": ("单价太低，不划算",),
    "customer_unreachable": ("联系不上客户，电话无人接听",),
    "other": ("缺少所需配件",),
}
# The stand-in agent working the needs-person list after its patience ran out.
MANUAL_ASSIGN = "坐席人工派单（{why}）"
MANUAL_ASSIGN_BREAKING = "坐席人工派单（{why}）：无完全合规的师傅，破例指派最近的一位"
MANUAL_CANCEL = "长时间无师傅可派，已电话告知客户并取消订单"
ESCALATED = "派单升级"
# Why orders of the seeded backlog went to a person (code, reason), as the automatic
# dispatcher (a system actor) says it.
BACKLOG_ESCALATIONS = (
    ("no_eligible", "本区域没有符合技能/资质的空闲师傅，转人工派单 (no free technician in the "
                    "region has the skills and certificates: to manual dispatch)"),
    ("unclaimed", "抢单池 30 分钟无人抢单，转人工派单 (nobody claimed it in the grab pool for "
                  "30 minutes: to manual dispatch)"),
    ("refused_too_often", "已被 2 位师傅拒单或超时未接，转人工派单 (refused or left unaccepted "
                          "by 2 technicians: to manual dispatch)"),
)
