<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccessSection</name>
    <message>
        <source>Hosting ISP</source>
        <translation>接入服务商</translation>
    </message>
    <message>
        <source>Access method</source>
        <translation>接入方式</translation>
    </message>
    <message>
        <source>Server IPs</source>
        <translation>服务器 IP 地址</translation>
    </message>
    <message>
        <source>Separated by commas or spaces</source>
        <translation>多个地址用逗号或空格分隔</translation>
    </message>
</context>
<context>
    <name>BureauDecisions</name>
    <message>
        <source>Approve request %1</source>
        <translation>审核通过申请 %1</translation>
    </message>
    <message>
        <source>Approve request %1 (%2)? Its ICP numbers are assigned now.</source>
        <translation>确定审核通过申请 %1（%2）？通过后将立即分配备案号。</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <source>Approving…</source>
        <translation>正在审核通过…</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Request %1: the new phone number is approved. It is now %2.</source>
        <translation>申请 %1：新手机号码已审核通过，当前状态为 %2。</translation>
    </message>
    <message>
        <source>Request %1 is approved.</source>
        <translation>申请 %1 已审核通过。</translation>
    </message>
    <message>
        <source>Subject ICP number: %1</source>
        <translation>主体备案号：%1</translation>
    </message>
    <message>
        <source>Website ICP numbers: %1</source>
        <translation>网站备案号：%1</translation>
    </message>
    <message>
        <source>Request %1 is rejected.</source>
        <translation>申请 %1 已驳回。</translation>
    </message>
</context>
<context>
    <name>BureauView</name>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体名称</translation>
    </message>
    <message>
        <source>In review since</source>
        <translation>进入审核时间</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>已等待</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <source>Approve the selected request and assign its ICP numbers (%1)</source>
        <translation>审核通过所选申请并分配备案号（%1）</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <source>Reject the selected request with a reason (%1)</source>
        <translation>填写理由驳回所选申请（%1）</translation>
    </message>
    <message>
        <source>Waiting for the bureau, longest in review first</source>
        <translation>待管局审核，审核等待最久的在前</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>共 %n 条申请</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CancellationDialog</name>
    <message>
        <source>Check who verifies and submit…</source>
        <translation>查看核验对象并提交…</translation>
    </message>
    <message>
        <source>Cancelling the subject cancels its filing and every approved website of it.</source>
        <translation>注销主体将注销该主体的备案及其全部已备案网站。</translation>
    </message>
    <message>
        <source>Cancelling the website removes it from the filing; the subject stays.</source>
        <translation>注销网站将该网站从备案中移除，主体备案保留。</translation>
    </message>
    <message>
        <source>Cancelling the access ends this ISP&apos;s hosting of the website; its filing stays.</source>
        <translation>取消接入将终止本接入商对该网站的接入，网站备案保留。</translation>
    </message>
    <message>
        <source>The approved subject to cancel</source>
        <translation>要注销的已备案主体</translation>
    </message>
    <message>
        <source>The approved website</source>
        <translation>已备案网站</translation>
    </message>
    <message>
        <source>%1: %2 (%3).</source>
        <translation>%1：%2（%3）。</translation>
    </message>
</context>
<context>
    <name>ChangeFilingDialog</name>
    <message>
        <source>Change filing %1</source>
        <translation>变更备案 %1</translation>
    </message>
    <message>
        <source>Edit what changes; you will see the changes before submitting.</source>
        <translation>修改需要变更的内容；提交前将列出全部变更供确认。</translation>
    </message>
    <message>
        <source>Submit this change?</source>
        <translation>提交本次变更？</translation>
    </message>
    <message>
        <source>Change of %1 (%2).</source>
        <translation>%1（%2）的备案变更。</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Choose a new password before you go on.</source>
        <translation>请先设置新密码，然后才能继续。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>ChooseSubjectDialog</name>
    <message>
        <source>Change filing: choose the approved subject</source>
        <translation>变更备案：选择已备案主体</translation>
    </message>
    <message>
        <source>Open the approved filing</source>
        <translation>打开已备案信息</translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message>
        <source>%1d %2h</source>
        <translation>%1天%2小时</translation>
    </message>
    <message>
        <source>%1h %2m</source>
        <translation>%1小时%2分</translation>
    </message>
    <message>
        <source>%1m</source>
        <translation>%1分钟</translation>
    </message>
</context>
<context>
    <name>EditUserDialog</name>
    <message>
        <source>Edit %1</source>
        <translation>编辑 %1</translation>
    </message>
    <message>
        <source>A new role signs the user out; they sign in again under it.</source>
        <translation>更改角色后该用户将被登出，需以新角色重新登录。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>EntryConfirmDialog</name>
    <message>
        <source>What changes</source>
        <translation>变更内容</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>变更前</translation>
    </message>
    <message>
        <source>After the change</source>
        <translation>变更后</translation>
    </message>
    <message>
        <source>No SMS: %1</source>
        <translation>不发送短信：%1</translation>
    </message>
    <message>
        <source>Any one of them verifying is enough.</source>
        <translation>其中任一人核验通过即可。</translation>
    </message>
    <message>
        <source>Every one of them must verify.</source>
        <translation>须全部核验通过。</translation>
    </message>
    <message>
        <source>These people will receive an SMS with a code. %1</source>
        <translation>以下人员将收到含验证码的短信。%1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>As</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <source>%1 (new number)</source>
        <translation>%1（新号码）</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回修改</translation>
    </message>
</context>
<context>
    <name>EntryDialogBase</name>
    <message>
        <source>New draft</source>
        <translation>新草稿</translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>This form has changes that are not saved.</source>
        <translation>此表单有尚未保存的修改。</translation>
    </message>
    <message>
        <source>Save as draft</source>
        <translation>保存为草稿</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>继续编辑</translation>
    </message>
    <message>
        <source>Correct returned request No. %1</source>
        <translation>修改退回的申请 %1 号</translation>
    </message>
    <message>
        <source>Edit draft No. %1</source>
        <translation>编辑草稿 %1 号</translation>
    </message>
    <message>
        <source>Returned: %1. Correct it and submit again.</source>
        <translation>已退回：%1。请修改后重新提交。</translation>
    </message>
    <message>
        <source>Draft No. %1</source>
        <translation>草稿 %1 号</translation>
    </message>
    <message>
        <source>%1 to correct: click one to go to its field.</source>
        <translation>有 %1 处需要修改：点击一项可跳转到该字段。</translation>
    </message>
    <message>
        <source>Draft No. %1 saved</source>
        <translation>草稿 %1 号已保存</translation>
    </message>
    <message>
        <source>Draft No. %1 saved; not submitted</source>
        <translation>草稿 %1 号已保存，提交未成功</translation>
    </message>
    <message>
        <source>Request No. %1 submitted: %2</source>
        <translation>申请 %1 号已提交：%2</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已提交</translation>
    </message>
</context>
<context>
    <name>EntrySections</name>
    <message>
        <source>Simplified Chinese</source>
        <translation>简体中文</translation>
    </message>
    <message>
        <source>Traditional Chinese</source>
        <translation>繁体中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>%1 (leave empty to keep)</source>
        <translation>%1（留空则不变）</translation>
    </message>
</context>
<context>
    <name>FilingEntryDialog</name>
    <message>
        <source>New filing</source>
        <translation>新增备案</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体信息</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>City</source>
        <translation>市/县</translation>
    </message>
    <message>
        <source>Nature</source>
        <translation>主体性质</translation>
    </message>
    <message>
        <source>Holder name</source>
        <translation>主办单位名称</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>Document number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Document address</source>
        <translation>证件住所</translation>
    </message>
    <message>
        <source>Mailing address</source>
        <translation>通信地址</translation>
    </message>
    <message>
        <source>Investor or supervising unit</source>
        <translation>投资人或主管单位</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Subject principal</source>
        <translation>主体负责人</translation>
    </message>
    <message>
        <source>Add website</source>
        <translation>添加网站</translation>
    </message>
    <message>
        <source>Remove website</source>
        <translation>删除网站</translation>
    </message>
    <message>
        <source>Websites</source>
        <translation>网站</translation>
    </message>
    <message>
        <source>Website %1</source>
        <translation>网站 %1</translation>
    </message>
</context>
<context>
    <name>FilingTableModel</name>
    <message>
        <source>Can be edited: Enter or double-click opens it in its form</source>
        <translation>可修改：按回车键或双击打开填写界面</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体名称</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Sort by request number: newest first, or oldest first</source>
        <translation>按申请编号排序：最新的在前，或最早的在前</translation>
    </message>
    <message>
        <source>Sort by business type, in the order of the type list</source>
        <translation>按业务类型排序，顺序同业务类型列表</translation>
    </message>
    <message>
        <source>Sort by state, in the order a request goes through</source>
        <translation>按状态排序，顺序同申请办理的先后环节</translation>
    </message>
    <message>
        <source>Sort by province, in the order of the province codes</source>
        <translation>按省份排序，顺序同省级行政区划代码</translation>
    </message>
    <message>
        <source>Sort by subject name; filings without a name yet last</source>
        <translation>按主体名称排序；尚未填写名称的排在最后</translation>
    </message>
    <message>
        <source>Sort by submission time, latest first; requests never submitted last</source>
        <translation>按提交时间排序，最近提交的在前；从未提交的申请排在最后</translation>
    </message>
    <message>
        <source>Sort by deadline, soonest first; requests without a running deadline last</source>
        <translation>按核验截止时间排序，最先到期的在前；没有进行中的截止时间的申请排在最后</translation>
    </message>
</context>
<context>
    <name>FilingsView</name>
    <message>
        <source>Search: part of a subject name, website name or domain; a mobile or ID number</source>
        <translation>搜索：主体名称、网站名称或域名中的文字；手机号码或证件号码</translation>
    </message>
    <message>
        <source>Two characters or more are found anywhere in the subject name, the website names and the domains; one character, at the start of the subject name. Mobile and ID numbers are matched whole.</source>
        <translation>两个字或以上：在主体名称、网站名称和域名中任意位置查找；一个字：只查主体名称开头。手机号码和证件号码须完整输入。</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部业务类型</translation>
    </message>
    <message>
        <source>All provinces</source>
        <translation>全部省份</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交日期</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>New filing: Ctrl+N; the other entries: see the menu</source>
        <translation>新增备案：Ctrl+N；其他业务见菜单</translation>
    </message>
    <message>
        <source>Import from Excel…</source>
        <translation>从 Excel 导入…</translation>
    </message>
    <message>
        <source>Submit / resubmit</source>
        <translation>提交 / 重新提交</translation>
    </message>
    <message>
        <source>Delete draft</source>
        <translation>删除草稿</translation>
    </message>
    <message>
        <source>Delete the selected draft (Delete)</source>
        <translation>删除选中的草稿（Delete 键）</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>共 %n 条申请</numerusform>
        </translation>
    </message>
    <message>
        <source>Request No. %1: %2</source>
        <translation>申请 %1 号：%2</translation>
    </message>
    <message>
        <source>Delete draft No. %1 (%2, %3)?

It leaves the list and its records are withdrawn; its history stays in the timeline. This cannot be undone from the app.</source>
        <translation>确定删除草稿 %1 号（%2，%3）吗？

删除后该草稿不再显示在列表中，其录入的主体、网站等记录一并撤销；处理记录仍予保留。此操作无法在本程序中撤销。</translation>
    </message>
    <message>
        <source>no subject name yet</source>
        <translation>尚未填写主办单位名称</translation>
    </message>
    <message>
        <source>Draft No. %1 deleted</source>
        <translation>草稿 %1 号已删除</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>Create the administrator</source>
        <translation>创建管理员</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>确认密码</translation>
    </message>
    <message>
        <source>This is a new database. Create the administrator account; the administrator then adds the other users in Settings.</source>
        <translation>这是一个新数据库。请先创建管理员账号，再由管理员在“设置”中添加其他用户。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>HelpDeskView</name>
    <message>
        <source>Caller&apos;s mobile number</source>
        <translation>来电人手机号码</translation>
    </message>
    <message>
        <source>Last six of the ID number</source>
        <translation>证件号码后六位</translation>
    </message>
    <message>
        <source>Look up</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Resend code</source>
        <translation>重发验证码</translation>
    </message>
    <message>
        <source>Verification desk…</source>
        <translation>核验台…</translation>
    </message>
    <message>
        <source>Next caller (Esc)</source>
        <translation>下一位来电人（Esc）</translation>
    </message>
    <message>
        <source>Clear the screen for the next caller</source>
        <translation>清空屏幕，接待下一位来电人</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体名称</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Tries left</source>
        <translation>剩余次数</translation>
    </message>
    <message>
        <source>Resends left</source>
        <translation>剩余重发次数</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>计划发送</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <source>Sender number</source>
        <translation>发送号码</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>送达</translation>
    </message>
    <message>
        <source>Requests this number verifies in</source>
        <translation>该号码参与核验的申请</translation>
    </message>
    <message>
        <source>SMS sent to this number</source>
        <translation>发往该号码的短信</translation>
    </message>
    <message>
        <source>First SMS at about %1</source>
        <translation>约 %1 发送首条短信</translation>
    </message>
    <message>
        <source>Returned: %1</source>
        <translation>已退回：%1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Resend from %1</source>
        <translation>%1 后可重发</translation>
    </message>
    <message>
        <source>No request verifies with %1.</source>
        <translation>没有以 %1 核验的申请。</translation>
    </message>
    <message>
        <source>%1: verifications waiting: %2</source>
        <translation>%1：待核验 %2 项。</translation>
    </message>
    <message>
        <source>No. %1: </source>
        <translation>申请 %1：</translation>
    </message>
    <message>
        <source>%1: nothing waiting. No. %2 (%3): </source>
        <translation>%1：暂无待核验。申请 %2（%3）：</translation>
    </message>
    <message>
        <source>%1: nothing waiting. Verified No. %2 on %3; nothing more to do.</source>
        <translation>%1：暂无待核验。已于 %3 完成申请 %2 的核验，无需其他操作。</translation>
    </message>
    <message>
        <source>%1: nothing waiting.</source>
        <translation>%1：暂无待核验。</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import filings from Excel</source>
        <translation>从 Excel 导入备案</translation>
    </message>
    <message>
        <source>Fill in the import template (one row a website; rows with the same subject key are one filing), then choose the workbook. Nothing is saved until you import; the filings are saved as drafts.</source>
        <translation>先填写导入模板（每行一个网站；主体编号相同的行为同一个备案），再选择填好的工作簿。点击导入之前不会保存任何内容；导入的备案保存为草稿。</translation>
    </message>
    <message>
        <source>Download import template…</source>
        <translation>下载导入模板…</translation>
    </message>
    <message>
        <source>Choose workbook…</source>
        <translation>选择工作簿…</translation>
    </message>
    <message>
        <source>No workbook chosen</source>
        <translation>尚未选择工作簿</translation>
    </message>
    <message>
        <source>Import the good rows</source>
        <translation>导入无误的行</translation>
    </message>
    <message>
        <source>Import only if all are good</source>
        <translation>全部无误才导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save the import template</source>
        <translation>保存导入模板</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>new-filing-import-template.xlsx</source>
        <translation>新增备案导入模板.xlsx</translation>
    </message>
    <message>
        <source>Template saved: %1</source>
        <translation>模板已保存：%1</translation>
    </message>
    <message>
        <source>Choose a filled import template</source>
        <translation>选择填好的导入模板</translation>
    </message>
    <message>
        <source>Reading the workbook…</source>
        <translation>正在读取工作簿…</translation>
    </message>
    <message numerus="yes">
        <source>Import the %n good row(s)</source>
        <translation>
            <numerusform>导入无误的 %n 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s): </source>
        <translation>
            <numerusform>共 %n 行：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n good</source>
        <translation>
            <numerusform>%n 行无误</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n with errors or held back</source>
        <translation>
            <numerusform>，%n 行有错误或随同主体跳过</numerusform>
        </translation>
    </message>
    <message>
        <source> (hover over a red cell to read its error)</source>
        <translation>（鼠标移到红色单元格上可查看错误）</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n draft(s) from %1</source>
        <translation>
            <numerusform>已从 %1 导入 %n 个草稿</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n row(s) skipped</source>
        <translation>
            <numerusform>；跳过 %n 行</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportPreviewModel</name>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>无误</translation>
    </message>
    <message>
        <source>Held back: another row of its subject key has errors</source>
        <translation>跳过：同一主体编号的其他行有错误</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>New filing</source>
        <translation>新增备案</translation>
    </message>
    <message>
        <source>New website</source>
        <translation>新增网站</translation>
    </message>
    <message>
        <source>New access</source>
        <translation>新增接入</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更备案</translation>
    </message>
    <message>
        <source>Cancel subject</source>
        <translation>注销主体</translation>
    </message>
    <message>
        <source>Cancel website</source>
        <translation>注销网站</translation>
    </message>
    <message>
        <source>Cancel access</source>
        <translation>取消接入</translation>
    </message>
    <message>
        <source>Change phone</source>
        <translation>变更手机号码</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>核验中</translation>
    </message>
    <message>
        <source>Bureau review</source>
        <translation>管局审核</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待核验</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已核验</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Not needed</source>
        <translation>无需核验</translation>
    </message>
    <message>
        <source>Not verified in time</source>
        <translation>未在有效期内核验</translation>
    </message>
    <message>
        <source>Tries used up</source>
        <translation>核验次数用尽</translation>
    </message>
    <message>
        <source>SMS undeliverable</source>
        <translation>短信无法送达</translation>
    </message>
    <message>
        <source>To review</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Noted</source>
        <translation>已备注</translation>
    </message>
    <message>
        <source>Handed back to the ISP</source>
        <translation>已交回接入商</translation>
    </message>
    <message>
        <source>Subject principal</source>
        <translation>主体负责人</translation>
    </message>
    <message>
        <source>Website principal</source>
        <translation>网站负责人</translation>
    </message>
    <message>
        <source>ISP staff</source>
        <translation>接入商工作人员</translation>
    </message>
    <message>
        <source>Help desk</source>
        <translation>客服人员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Bureau reviewer</source>
        <translation>管局审核员</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>First SMS</source>
        <translation>首条短信</translation>
    </message>
    <message>
        <source>Noon resend</source>
        <translation>中午自动重发</translation>
    </message>
    <message>
        <source>Manual resend</source>
        <translation>手动重发</translation>
    </message>
    <message>
        <source>China Mobile</source>
        <translation>中国移动</translation>
    </message>
    <message>
        <source>China Unicom</source>
        <translation>中国联通</translation>
    </message>
    <message>
        <source>China Telecom</source>
        <translation>中国电信</translation>
    </message>
    <message>
        <source>China Broadnet</source>
        <translation>中国广电</translation>
    </message>
    <message>
        <source>Resident ID card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <source>Hong Kong/Macau permit</source>
        <translation>港澳居民来往内地通行证</translation>
    </message>
    <message>
        <source>Taiwan permit</source>
        <translation>台湾居民来往大陆通行证</translation>
    </message>
    <message>
        <source>Foreign permanent residence ID</source>
        <translation>外国人永久居留身份证</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Government body</source>
        <translation>政府机关</translation>
    </message>
    <message>
        <source>Public institution</source>
        <translation>事业单位</translation>
    </message>
    <message>
        <source>Social group</source>
        <translation>社会团体</translation>
    </message>
    <message>
        <source>Individual</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>no SMS verification in this province yet: straight to bureau review</source>
        <translation>该省份尚未启用短信核验，直接提交管局审核</translation>
    </message>
    <message>
        <source>only remarks change: no SMS, straight to bureau review</source>
        <translation>仅变更备注，无需短信核验，直接提交管局审核</translation>
    </message>
    <message>
        <source>this cancellation is not verified (a setting): straight to bureau review</source>
        <translation>此类注销按设置无需短信核验，直接提交管局审核</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>Workstation locked</source>
        <translation>工作站已锁定</translation>
    </message>
    <message>
        <source>Locked. %1 (%2): enter your password to go on.</source>
        <translation>已锁定。%1（%2）：请输入密码继续。</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Switch user…</source>
        <translation>切换用户…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>ICP filing SMS verification</source>
        <translation>ICP备案短信核验</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Filings</source>
        <translation>备案申请</translation>
    </message>
    <message>
        <source>Pending verifiers</source>
        <translation>待核验人</translation>
    </message>
    <message>
        <source>Help desk</source>
        <translation>客服台</translation>
    </message>
    <message>
        <source>Returned filings</source>
        <translation>退回的申请</translation>
    </message>
    <message>
        <source>Bureau review</source>
        <translation>管局审核</translation>
    </message>
    <message>
        <source>SMS outbox</source>
        <translation>短信发件箱</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>ICP filing SMS verification</source>
        <translation>ICP备案短信核验</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>账户(&amp;A)</translation>
    </message>
    <message>
        <source>Change password…</source>
        <translation>修改密码…</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Switch user…</source>
        <translation>切换用户…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation>密码已修改。</translation>
    </message>
    <message>
        <source>Beijing time %1</source>
        <translation>北京时间 %1</translation>
    </message>
</context>
<context>
    <name>NewAccessDialog</name>
    <message>
        <source>New access</source>
        <translation>新增接入</translation>
    </message>
    <message>
        <source>The new access</source>
        <translation>新的接入信息</translation>
    </message>
    <message>
        <source>The approved website to host</source>
        <translation>要接入的已备案网站</translation>
    </message>
    <message>
        <source>%1 (%2) will be hosted by %3.</source>
        <translation>%1（%2）将接入 %3。</translation>
    </message>
</context>
<context>
    <name>NewWebsiteDialog</name>
    <message>
        <source>New website</source>
        <translation>新增网站</translation>
    </message>
    <message>
        <source>The approved subject the website is added to</source>
        <translation>新增网站所属的已备案主体</translation>
    </message>
</context>
<context>
    <name>OperationRunner</name>
    <message>
        <source>The workstation is locked.</source>
        <translation>工作站已锁定。</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>Could not complete</source>
        <translation>操作未完成</translation>
    </message>
    <message>
        <source>Please wait</source>
        <translation>请稍候</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <source>This is the local outbox of the embedded default: without an SMS endpoint configured, messages are stored here instead of being sent to phones. Verification codes are masked. With an endpoint set in Settings, messages go to the endpoint and no longer appear here.</source>
        <translation>这是内置的本地发件箱：未配置短信接口时，短信保存在这里，不会发到手机上；其中的验证码已做掩码处理。在“设置”中配置短信接口后，短信将通过接口发送，不再出现在这里。</translation>
    </message>
    <message>
        <source>Stored at</source>
        <translation>保存时间</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>接收号码</translation>
    </message>
    <message>
        <source>Sender number</source>
        <translation>发送号码</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>短信内容</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s), newest first</source>
        <translation>
            <numerusform>共 %n 条短信，最新的在前</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PendingView</name>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体名称</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Tries left</source>
        <translation>剩余次数</translation>
    </message>
    <message>
        <source>Resends left</source>
        <translation>剩余重发次数</translation>
    </message>
    <message>
        <source>Next resend</source>
        <translation>下次可重发时间</translation>
    </message>
    <message>
        <source>Show number</source>
        <translation>显示完整号码</translation>
    </message>
    <message>
        <source>Show the selected mobile number in full; this is recorded in the timeline</source>
        <translation>显示所选核验对象的完整手机号码（将记入处理记录）</translation>
    </message>
    <message>
        <source>Resend code…</source>
        <translation>重发验证码…</translation>
    </message>
    <message>
        <source>Pending verifiers, soonest deadline first</source>
        <translation>待核验人，截止时间最近的在前</translation>
    </message>
    <message>
        <source>Resend code</source>
        <translation>重发验证码</translation>
    </message>
    <message>
        <source>The caller&apos;s last six characters of the ID number:</source>
        <translation>来电人的证件号码后六位：</translation>
    </message>
</context>
<context>
    <name>PhoneChangeDialog</name>
    <message>
        <source>Whose number changes</source>
        <translation>变更谁的手机号码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>As</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Mobile now</source>
        <translation>当前手机号码</translation>
    </message>
    <message>
        <source>The new number</source>
        <translation>新号码</translation>
    </message>
    <message>
        <source>New mobile (gets the SMS)</source>
        <translation>新手机号码（接收短信）</translation>
    </message>
    <message>
        <source>The bureau approves the new number first; then the code goes to the new number only, and passing it makes the number current.</source>
        <translation>管局先审核新号码；审核通过后验证码只发往新号码，核验通过后新号码生效。</translation>
    </message>
    <message>
        <source>The approved subject</source>
        <translation>已备案主体</translation>
    </message>
    <message>
        <source>Choose whose number changes.</source>
        <translation>请选择要变更手机号码的负责人。</translation>
    </message>
    <message>
        <source>%1&apos;s mobile changes from %2 to the number entered.</source>
        <translation>%1 的手机号码将由 %2 变更为所填写的新号码。</translation>
    </message>
</context>
<context>
    <name>PickedEntryDialog</name>
    <message>
        <source>Choose the approved record</source>
        <translation>选择已备案记录</translation>
    </message>
    <message>
        <source>Submit %1?</source>
        <translation>提交%1？</translation>
    </message>
</context>
<context>
    <name>PrincipalSection</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Mobile (gets the SMS)</source>
        <translation>手机号码（接收核验短信）</translation>
    </message>
    <message>
        <source>Second phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <source>Emergency phone</source>
        <translation>应急电话</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>电子邮箱</translation>
    </message>
</context>
<context>
    <name>RecordPicker</name>
    <message>
        <source>The record of this request</source>
        <translation>本申请的备案记录</translation>
    </message>
    <message>
        <source>The record of this request: search to choose another</source>
        <translation>本申请的备案记录：可搜索另选</translation>
    </message>
    <message>
        <source>%n approved record(s) found</source>
        <translation>找到 %n 条已备案记录</translation>
    </message>
    <message>
        <source>Nothing approved matches: try part of the name, a domain or the ICP number</source>
        <translation>没有匹配的已备案记录：请尝试名称的一部分、域名或备案号</translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <source>Reject request %1</source>
        <translation>驳回申请 %1</translation>
    </message>
    <message>
        <source>Why is it rejected? The ISP will read this.</source>
        <translation>驳回理由（接入商可以看到）</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Common reasons (click one to use it):</source>
        <translation>常用驳回原因（点击即可使用）：</translation>
    </message>
    <message>
        <source>Reason for the rejection:</source>
        <translation>驳回理由：</translation>
    </message>
    <message>
        <source>Write a reason or pick one: the ISP reads it.</source>
        <translation>请填写或选择驳回原因：接入商会看到这段文字。</translation>
    </message>
</context>
<context>
    <name>RequestDetailDialog</name>
    <message>
        <source>Request No. %1</source>
        <translation>申请 %1 号</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>负责人类型</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>运营商</translation>
    </message>
    <message>
        <source>Sender number</source>
        <translation>发送号码</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Tries left</source>
        <translation>剩余次数</translation>
    </message>
    <message>
        <source>Resends left</source>
        <translation>剩余重发次数</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>短信类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>发送状态</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>送达状态</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>计划发送时间</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>发送尝试次数</translation>
    </message>
    <message>
        <source>Endpoint answer</source>
        <translation>短信接口返回</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>处理情况</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>核验轮次</translation>
    </message>
    <message>
        <source>Verifiers</source>
        <translation>核验对象</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>短信核验</translation>
    </message>
    <message>
        <source>Principals</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Export timeline…</source>
        <translation>导出处理记录…</translation>
    </message>
    <message>
        <source>Save the timeline, with every event&apos;s details as recorded, as an .xlsx file</source>
        <translation>将处理记录（含每条记录的原始详情）保存为 .xlsx 文件</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <source>Websites</source>
        <translation>网站</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>主体证件</translation>
    </message>
    <message>
        <source>Subject principal</source>
        <translation>主体负责人</translation>
    </message>
    <message>
        <source> (verified)</source>
        <translation>（已核验）</translation>
    </message>
    <message>
        <source>Entered by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>ICP number</source>
        <translation>备案号</translation>
    </message>
    <message>
        <source>Returned because</source>
        <translation>退回原因</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>审核意见</translation>
    </message>
    <message>
        <source>Round %1</source>
        <translation>第 %1 轮</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>负责人类型</translation>
    </message>
    <message>
        <source>Document type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>Document number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Verified at</source>
        <translation>核验通过时间</translation>
    </message>
    <message>
        <source>Export timeline</source>
        <translation>导出处理记录</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>timeline-%1.xlsx</source>
        <translation>处理记录-%1.xlsx</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <source>all must verify</source>
        <translation>须全部核验通过</translation>
    </message>
    <message>
        <source>any one</source>
        <translation>任一人核验通过即可</translation>
    </message>
    <message>
        <source>%1; deadline %2</source>
        <translation>%1；截止时间 %2</translation>
    </message>
    <message>
        <source>not sent yet</source>
        <translation>尚未发送</translation>
    </message>
</context>
<context>
    <name>ReturnedExport</name>
    <message>
        <source>Request No.</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体名称</translation>
    </message>
    <message>
        <source>Business type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>Return reason</source>
        <translation>退回原因</translation>
    </message>
    <message>
        <source>Verifiers</source>
        <translation>核验人</translation>
    </message>
    <message>
        <source>Returned at (Beijing time)</source>
        <translation>退回时间（北京时间）</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>处理情况</translation>
    </message>
    <message>
        <source>Last note</source>
        <translation>最新备注</translation>
    </message>
    <message>
        <source>Note by</source>
        <translation>备注人</translation>
    </message>
    <message>
        <source>Note at (Beijing time)</source>
        <translation>备注时间（北京时间）</translation>
    </message>
    <message>
        <source>Returned filings</source>
        <translation>退回的备案</translation>
    </message>
</context>
<context>
    <name>ReturnedView</name>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>退回原因</translation>
    </message>
    <message>
        <source>Verifiers</source>
        <translation>核验人</translation>
    </message>
    <message>
        <source>Returned at</source>
        <translation>退回时间</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体名称</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>处理情况</translation>
    </message>
    <message>
        <source>Last note</source>
        <translation>最新备注</translation>
    </message>
    <message>
        <source>Resubmit</source>
        <translation>重新提交</translation>
    </message>
    <message>
        <source>Submit the selected request again: a fresh round with new codes</source>
        <translation>重新提交所选申请：开始新一轮核验，重新发送验证码</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Save the list as an .xlsx file (Ctrl+E)</source>
        <translation>将列表保存为 .xlsx 文件（Ctrl+E）</translation>
    </message>
    <message>
        <source>Note on the selected request</source>
        <translation>对所选申请的备注</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <source>Hand back to the ISP</source>
        <translation>交回接入商</translation>
    </message>
    <message>
        <source>Send the note to the ISP staff; the request stays returned for them</source>
        <translation>将备注发给接入商工作人员；申请仍为已退回状态，由其处理</translation>
    </message>
    <message>
        <source>Returned to the ISP, latest first</source>
        <translation>已退回接入商，最近的在前</translation>
    </message>
    <message numerus="yes">
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>最近 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>Returns per day by reason, and the verification pass rate</source>
        <translation>按原因统计的每日退回数与核验通过率</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) returned now</source>
        <translation>
            <numerusform>现退回 %n 条申请</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n not yet reviewed</source>
        <translation>
            <numerusform>，其中 %n 条未处理</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n return(s) in these days; no verification round ended in them</source>
        <translation>
            <numerusform>期间内退回 %n 次；期间内没有结束的核验轮次</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n return(s) in these days; pass rate %1% (%2 of %3 rounds)</source>
        <translation>
            <numerusform>期间内退回 %n 次；核验通过率 %1%（%3 轮中 %2 轮通过）</numerusform>
        </translation>
    </message>
    <message>
        <source>Verification pass rate (%)</source>
        <translation>核验通过率（%）</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>退回数</translation>
    </message>
    <message>
        <source>Pass rate (%)</source>
        <translation>通过率（%）</translation>
    </message>
    <message>
        <source>Request %1 was resubmitted.</source>
        <translation>申请 %1 已重新提交。</translation>
    </message>
    <message>
        <source>Handed back to the ISP with the note.</source>
        <translation>已连同备注交回接入商。</translation>
    </message>
    <message>
        <source>Note added.</source>
        <translation>备注已添加。</translation>
    </message>
    <message>
        <source>Export returned filings</source>
        <translation>导出退回的申请</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Look in:</source>
        <translation>查找范围：</translation>
    </message>
    <message>
        <source>Files of type:</source>
        <translation>文件类型：</translation>
    </message>
    <message>
        <source>returned-filings.xlsx</source>
        <translation>退回的申请.xlsx</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n returned filing(s) to %1</source>
        <translation>
            <numerusform>已将 %n 条退回的申请保存到 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Revealer</name>
    <message>
        <source>Show in full</source>
        <translation>显示完整号码</translation>
    </message>
</context>
<context>
    <name>SecretLabel</name>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show the full number; this is recorded in the timeline</source>
        <translation>显示完整号码（将记入处理记录）</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>Verification</source>
        <translation>核验规则</translation>
    </message>
    <message>
        <source>SMS endpoint</source>
        <translation>短信接口</translation>
    </message>
    <message>
        <source>Provinces</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>Rejection reasons</source>
        <translation>驳回原因</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Verify subject cancellations</source>
        <translation>注销主体需短信核验</translation>
    </message>
    <message>
        <source>Verify website cancellations</source>
        <translation>注销网站需短信核验</translation>
    </message>
    <message>
        <source>Verify access cancellations</source>
        <translation>取消接入需短信核验</translation>
    </message>
    <message>
        <source>Wrong tries allowed</source>
        <translation>允许输错次数</translation>
    </message>
    <message>
        <source>Round length (hours)</source>
        <translation>核验有效期（小时）</translation>
    </message>
    <message>
        <source>Send delay (minutes)</source>
        <translation>提交后发送延迟（分钟）</translation>
    </message>
    <message>
        <source>Manual resends per round</source>
        <translation>每轮手动重发次数</translation>
    </message>
    <message>
        <source>Seconds between sends to one number</source>
        <translation>同一号码两次发送的最短间隔（秒）</translation>
    </message>
    <message>
        <source>Automatic resend hour (Beijing time)</source>
        <translation>自动重发整点（北京时间）</translation>
    </message>
    <message>
        <source>A sign-in lasts (hours)</source>
        <translation>登录有效时长（小时）</translation>
    </message>
    <message>
        <source>Lock an untouched window after (minutes)</source>
        <translation>无操作自动锁定（分钟）</translation>
    </message>
    <message>
        <source>Sender number: %1</source>
        <translation>发送号码：%1</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Local outbox (this workstation)</source>
        <translation>本地发件箱（本机）</translation>
    </message>
    <message>
        <source>HTTP endpoint</source>
        <translation>HTTP 接口</translation>
    </message>
    <message>
        <source>Save endpoint</source>
        <translation>保存接口设置</translation>
    </message>
    <message>
        <source>Sends one message through the saved endpoint</source>
        <translation>通过已保存的接口发送一条测试短信</translation>
    </message>
    <message>
        <source>Signature header</source>
        <translation>签名请求头</translation>
    </message>
    <message>
        <source>Signing secret</source>
        <translation>签名密钥</translation>
    </message>
    <message>
        <source>The endpoint is kept in this installation&apos;s config file, readable by its owner only; see the README for every key (headers, body template, status URL).</source>
        <translation>接口设置保存在本机的配置文件中，仅文件所有者可读；全部配置项（请求头、请求体模板、状态查询地址）见 README。</translation>
    </message>
    <message>
        <source>•••• saved (type to replace)</source>
        <translation>•••• 已保存（输入新值即可替换）</translation>
    </message>
    <message>
        <source>Bearer token (optional)</source>
        <translation>Bearer 令牌（可选）</translation>
    </message>
    <message>
        <source>(optional)</source>
        <translation>（可选）</translation>
    </message>
    <message>
        <source>This installation has no config file to save to.</source>
        <translation>本机没有可保存的配置文件。</translation>
    </message>
    <message>
        <source>Saved to %1. The scheduler uses it from the next start.</source>
        <translation>已保存到 %1。下次启动后发送短信将使用该接口。</translation>
    </message>
    <message>
        <source>Mobile number for the test</source>
        <translation>测试用手机号码</translation>
    </message>
    <message>
        <source>Send a test SMS</source>
        <translation>发送测试短信</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>接口类型</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL 地址</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Accepted by the endpoint: %1</source>
        <translation>接口已受理：%1</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>接口拒绝：%1</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>Verification from</source>
        <translation>短信核验启用日期</translation>
    </message>
    <message>
        <source>Save the province table</source>
        <translation>保存省份表</translation>
    </message>
    <message>
        <source>SMS verification applies to filings of a province submitted on or after its start date; clear the date to switch it off.</source>
        <translation>某省份在启用日期当天及之后提交的备案申请须进行短信核验；清除日期即关闭该省份的短信核验。</translation>
    </message>
    <message>
        <source>off</source>
        <translation>未启用</translation>
    </message>
    <message numerus="yes">
        <source>%n unsaved change(s)</source>
        <translation>
            <numerusform>%n 处修改尚未保存</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n province(s).</source>
        <translation>
            <numerusform>已保存 %n 个省份。</numerusform>
        </translation>
    </message>
    <message>
        <source>Save reasons</source>
        <translation>保存驳回原因</translation>
    </message>
    <message>
        <source>The reasons a bureau reviewer can pick when rejecting a request, one per line. They may always write their own.</source>
        <translation>管局审核员驳回申请时可选用的原因，每行一条。审核员也可以自行填写。</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n reason(s).</source>
        <translation>
            <numerusform>已保存 %n 条驳回原因。</numerusform>
        </translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Takes effect the next time the application starts.</source>
        <translation>下次启动程序时生效。</translation>
    </message>
</context>
<context>
    <name>SubjectPicker</name>
    <message>
        <source>Search approved subjects: name, domain or ICP number</source>
        <translation>搜索已备案主体：名称、域名或备案号</translation>
    </message>
    <message>
        <source>Holder name</source>
        <translation>主办单位名称</translation>
    </message>
    <message>
        <source>ICP number</source>
        <translation>备案号</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>Nature</source>
        <translation>主体性质</translation>
    </message>
    <message>
        <source>Principal</source>
        <translation>主体负责人</translation>
    </message>
    <message>
        <source>Websites</source>
        <translation>网站数</translation>
    </message>
</context>
<context>
    <name>TimelineExport</name>
    <message>
        <source>Time (Beijing time)</source>
        <translation>时间（北京时间）</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>处理情况</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>记录账号</translation>
    </message>
    <message>
        <source>Events as recorded</source>
        <translation>原始记录</translation>
    </message>
    <message>
        <source>Request %1</source>
        <translation>申请 %1</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <source>Must choose a new password at the first sign-in</source>
        <translation>首次登录时须设置新密码</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>Edit name and role…</source>
        <translation>编辑姓名和角色…</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>新用户</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Added %1</source>
        <translation>已添加 %1</translation>
    </message>
    <message>
        <source>%1 is now %2 (%3).</source>
        <translation>%1 现为 %2（%3）。</translation>
    </message>
    <message>
        <source>%1 can sign in again.</source>
        <translation>%1 已启用，可以登录。</translation>
    </message>
    <message>
        <source>%1 can no longer sign in.</source>
        <translation>%1 已停用，不能再登录。</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>New password for %1 (they choose their own at the next sign-in):</source>
        <translation>%1 的新密码（下次登录时须由本人另设新密码）：</translation>
    </message>
    <message>
        <source>Password reset for %1</source>
        <translation>已重置 %1 的密码</translation>
    </message>
</context>
<context>
    <name>VerificationDeskDialog</name>
    <message>
        <source>Verification desk</source>
        <translation>核验台</translation>
    </message>
    <message>
        <source>The 6 digits from the SMS</source>
        <translation>短信中的 6 位数字</translation>
    </message>
    <message>
        <source>Mobile number the SMS went to</source>
        <translation>接收短信的手机号码</translation>
    </message>
    <message>
        <source>Last six characters</source>
        <translation>后六位</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>验证码</translation>
    </message>
    <message>
        <source>Mobile number</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <source>Last six of the ID number</source>
        <translation>证件号码后六位</translation>
    </message>
    <message>
        <source>Check (Enter)</source>
        <translation>核验（回车）</translation>
    </message>
    <message>
        <source>No. %1: </source>
        <translation>申请 %1：</translation>
    </message>
    <message>
        <source>Tries left in this round: %1</source>
        <translation>本轮剩余可尝试次数：%1</translation>
    </message>
    <message>
        <source>This number verifies in no request.</source>
        <translation>该号码没有参与任何申请的核验。</translation>
    </message>
    <message>
        <source>No. %1 (%2): </source>
        <translation>申请 %1（%2）：</translation>
    </message>
    <message>
        <source>No. %1: this number verified on %2; nothing more to do.</source>
        <translation>申请 %1：该号码已于 %2 完成核验，无需其他操作。</translation>
    </message>
</context>
<context>
    <name>WebsitePicker</name>
    <message>
        <source>Search approved websites: name, domain, ICP number or subject</source>
        <translation>搜索已备案网站：网站名称、域名、备案号或主体名称</translation>
    </message>
    <message>
        <source>Website</source>
        <translation>网站名称</translation>
    </message>
    <message>
        <source>Domains</source>
        <translation>域名</translation>
    </message>
    <message>
        <source>ICP number</source>
        <translation>网站备案号</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体名称</translation>
    </message>
    <message>
        <source>Hosted by</source>
        <translation>接入商</translation>
    </message>
</context>
<context>
    <name>WebsiteTab</name>
    <message>
        <source>Website</source>
        <translation>网站信息</translation>
    </message>
    <message>
        <source>Website name</source>
        <translation>网站名称</translation>
    </message>
    <message>
        <source>Home page URL</source>
        <translation>首页地址</translation>
    </message>
    <message>
        <source>One domain per line, e.g. example.cn</source>
        <translation>每行一个域名，例如 example.cn</translation>
    </message>
    <message>
        <source>Domains</source>
        <translation>域名</translation>
    </message>
    <message>
        <source>Service content</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Website language</source>
        <translation>网站语言</translation>
    </message>
    <message>
        <source>Pre-approval type</source>
        <translation>前置审批类型</translation>
    </message>
    <message>
        <source>Pre-approval number</source>
        <translation>前置审批文号</translation>
    </message>
    <message>
        <source>Website remarks</source>
        <translation>网站备注</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>接入信息</translation>
    </message>
    <message>
        <source>The subject principal runs this website</source>
        <translation>网站负责人与主体负责人为同一人</translation>
    </message>
    <message>
        <source>Website principal</source>
        <translation>网站负责人</translation>
    </message>
</context>
</TS>
