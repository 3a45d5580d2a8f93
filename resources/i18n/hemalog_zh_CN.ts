<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AboutDialog</name>
        <message>
            <source>About hemalog</source>
            <translation>关于 hemalog</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>版本</translation>
        </message>
        <message>
            <source>Clinical rules</source>
            <translation>临床规则</translation>
        </message>
        <message>
            <source>version {version} (Help ▸ Clinical rules)</source>
            <translation>版本 {version}（帮助 ▸ 临床规则）</translation>
        </message>
        <message>
            <source>Database</source>
            <translation>数据库</translation>
        </message>
        <message>
            <source>Python</source>
            <translation>Python</translation>
        </message>
        <message>
            <source>Qt</source>
            <translation>Qt</translation>
        </message>
        <message>
            <source>PySide6</source>
            <translation>PySide6</translation>
        </message>
        <message>
            <source>System</source>
            <translation>系统</translation>
        </message>
        <message>
            <source>Clinical event logger for haematology wards.</source>
            <translation>血液科病房临床事件记录软件。</translation>
        </message>
        <message>
            <source>Licences</source>
            <translation>许可证</translation>
        </message>
        <message>
            <source>hemalog: Apache License 2.0.</source>
            <translation>hemalog：Apache 许可证 2.0。</translation>
        </message>
        <message>
            <source>Package</source>
            <translation>软件包</translation>
        </message>
        <message>
            <source>Licence</source>
            <translation>许可证</translation>
        </message>
    </context>
    <context>
        <name>AgvhdForm</name>
        <message>
            <source>Acute GVHD (MAGIC)</source>
            <translation>急性移植物抗宿主病 aGVHD（MAGIC）</translation>
        </message>
        <message>
            <source>Organ stages</source>
            <translation>各器官分期</translation>
        </message>
        <message>
            <source>% body surface</source>
            <translation>% 体表面积</translation>
        </message>
        <message>
            <source>Bullae</source>
            <translation>大疱</translation>
        </message>
        <message>
            <source>Generalised erythroderma with bullae and desquamation &gt; 5%</source>
            <translation>全身红皮病伴大疱及脱皮 &gt; 5%</translation>
        </message>
        <message>
            <source>Bilirubin (SI)</source>
            <translation>胆红素（国际单位）</translation>
        </message>
        <message>
            <source>Persistent nausea, vomiting or anorexia</source>
            <translation>持续恶心、呕吐或厌食</translation>
        </message>
        <message>
            <source>Stool volume</source>
            <translation>排便量</translation>
        </message>
        <message>
            <source>mL/day</source>
            <translation>mL/天</translation>
        </message>
        <message>
            <source>per day</source>
            <translation>次/天</translation>
        </message>
        <message>
            <source>Stool (child)</source>
            <translation>排便量（儿童）</translation>
        </message>
        <message>
            <source>mL/kg/day</source>
            <translation>mL/kg/天</translation>
        </message>
        <message>
            <source>Severe abdominal pain</source>
            <translation>剧烈腹痛</translation>
        </message>
        <message>
            <source>Severe abdominal pain (opioids, performance impaired)</source>
            <translation>剧烈腹痛（需阿片类药物，体能状态受损）</translation>
        </message>
        <message>
            <source>Bloody stool</source>
            <translation>血便</translation>
        </message>
        <message>
            <source>Grossly bloody stool</source>
            <translation>肉眼血便</translation>
        </message>
        <message>
            <source>Skin</source>
            <translation>皮肤</translation>
        </message>
        <message>
            <source>Liver</source>
            <translation>肝脏</translation>
        </message>
        <message>
            <source>Upper GI</source>
            <translation>上消化道</translation>
        </message>
        <message>
            <source>Lower GI</source>
            <translation>下消化道</translation>
        </message>
    </context>
    <context>
        <name>App</name>
        <message>
            <source>Checking {name} (integrity and audit trail)…</source>
            <translation>正在检查 {name}（完整性与审计追踪）…</translation>
        </message>
        <message>
            <source>The database is damaged</source>
            <translation>数据库已损坏</translation>
        </message>
        <message>
            <source>{path} fails its integrity check:
{problems}

No backup that passes verification was found in {folder}.
hemalog will not open this file. Ask IT support to restore it (hemalog restore FILE).</source>
            <translation>{path} 未通过完整性检查：
{problems}

在 {folder} 中未找到通过校验的备份。
hemalog 不会打开此文件。请联系信息科恢复（hemalog restore FILE）。</translation>
        </message>
        <message>
            <source>{path} fails its integrity check:
{problems}

Restore the newest good backup, {backup}?
Changes made after that backup will be missing. The damaged file is kept aside, not deleted.</source>
            <translation>{path} 未通过完整性检查：
{problems}

是否恢复最新的完好备份 {backup}？
该备份之后所做的更改将会丢失。损坏的文件会另行保留，不会删除。</translation>
        </message>
        <message>
            <source>{path} was not restored, so hemalog will not open it.</source>
            <translation>{path} 未恢复，因此 hemalog 不会打开它。</translation>
        </message>
        <message>
            <source>The backup was not restored</source>
            <translation>备份未能恢复</translation>
        </message>
        <message>
            <source>Backup restored</source>
            <translation>备份已恢复</translation>
        </message>
        <message>
            <source>{path} was restored from {backup}.
The damaged file is kept as {aside}.</source>
            <translation>{path} 已从 {backup} 恢复。
损坏的文件保留为 {aside}。</translation>
        </message>
        <message>
            <source>hemalog cannot open the database</source>
            <translation>hemalog 无法打开数据库</translation>
        </message>
        <message>
            <source>hemalog cannot sign in</source>
            <translation>hemalog 无法登录</translation>
        </message>
    </context>
    <context>
        <name>AssessmentForm</name>
        <message>
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <source>mild</source>
            <translation>轻度</translation>
        </message>
        <message>
            <source>moderate</source>
            <translation>中度</translation>
        </message>
        <message>
            <source>severe</source>
            <translation>重度</translation>
        </message>
        <message>
            <source>Grade: cannot be derived</source>
            <translation>分级：无法判定</translation>
        </message>
        <message>
            <source>Severity: {severity}</source>
            <translation>严重程度：{severity}</translation>
        </message>
        <message>
            <source>Grade {grade}</source>
            <comment>acute GVHD</comment>
            <translation>{grade}度</translation>
        </message>
        <message>
            <source>Grade {grade}</source>
            <translation>{grade}级</translation>
        </message>
        <message>
            <source>Grade</source>
            <translation>分级</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>依据</translation>
        </message>
        <message>
            <source>Flags</source>
            <translation>提示</translation>
        </message>
        <message>
            <source>this grade</source>
            <translation>此分级</translation>
        </message>
        <message>
            <source>Grade: enter the findings</source>
            <translation>分级：请录入评估所见</translation>
        </message>
    </context>
    <context>
        <name>CgvhdForm</name>
        <message>
            <source>Eyes</source>
            <translation>眼</translation>
        </message>
        <message>
            <source>Liver</source>
            <translation>肝脏</translation>
        </message>
        <message>
            <source>Lungs (FEV1 score)</source>
            <translation>肺（FEV1评分）</translation>
        </message>
        <message>
            <source>Genital tract</source>
            <translation>生殖道</translation>
        </message>
        <message>
            <source>Chronic GVHD (NIH 2014)</source>
            <translation>慢性移植物抗宿主病 cGVHD（NIH 2014）</translation>
        </message>
    </context>
    <context>
        <name>Command line</name>
        <message>
            <source>command line: {message}</source>
            <translation>命令行：{message}</translation>
        </message>
        <message>
            <source>unknown language {value!r}: use en or zh_CN</source>
            <translation>未知语言 {value!r}：请用 en 或 zh_CN</translation>
        </message>
        <message>
            <source>hemalog: note: this database has no staff accounts yet; create the administrator in the app</source>
            <translation>hemalog：提示：此数据库尚无员工账户；请在软件中创建管理员</translation>
        </message>
        <message>
            <source>this database has staff accounts: give --user NAME (and the password)</source>
            <translation>此数据库有员工账户：请给出 --user 用户名（及密码）</translation>
        </message>
        <message>
            <source>no password for {name} in PGPASSFILE or ~/.pgpass: give --password-file FILE</source>
            <translation>PGPASSFILE 或 ~/.pgpass 中没有 {name} 的密码：请给出 --password-file FILE</translation>
        </message>
        <message>
            <source>no password for {name}: this is not a terminal, so it cannot be asked for</source>
            <translation>没有 {name} 的密码：当前不是终端，无法询问密码</translation>
        </message>
        <message>
            <source>for automation give --password-file FILE: the password on its first line, a file only you can read (chmod 600 FILE)</source>
            <translation>自动化运行请给出 --password-file FILE：密码写在文件第一行，文件仅限本人可读（chmod 600 FILE）</translation>
        </message>
        <message>
            <source>password for {name}: </source>
            <translation>{name} 的密码：</translation>
        </message>
        <message>
            <source>no password for {name}: nothing was typed</source>
            <translation>没有 {name} 的密码：未输入任何内容</translation>
        </message>
        <message>
            <source>{path}: the password file cannot be read: {error}</source>
            <translation>{path}：无法读取密码文件：{error}</translation>
        </message>
        <message>
            <source>{path}: refused: the password file must be a regular file</source>
            <translation>{path}：已拒绝：密码文件必须是普通文件</translation>
        </message>
        <message>
            <source>{path}: refused: the password file's mode is {mode}, it must be 0600 or stricter (only you may read it): chmod 600 {path}</source>
            <translation>{path}：已拒绝：密码文件权限为 {mode}，必须为 0600 或更严格（仅限本人可读）：chmod 600 {path}</translation>
        </message>
        <message>
            <source>{path}: refused: too long for a password file (over {limit} bytes)</source>
            <translation>{path}：已拒绝：作为密码文件过长（超过 {limit} 字节）</translation>
        </message>
        <message>
            <source>{path}: refused: the password file is not UTF-8 text</source>
            <translation>{path}：已拒绝：密码文件不是 UTF-8 文本</translation>
        </message>
        <message>
            <source>{path}: refused: the first line of the password file is empty</source>
            <translation>{path}：已拒绝：密码文件第一行为空</translation>
        </message>
        <message>
            <source>the newest backup that passes verification is {backup}; restore it with: hemalog --db {path} restore {backup}</source>
            <translation>通过校验的最新备份是 {backup}；恢复命令：hemalog --db {path} restore {backup}</translation>
        </message>
        <message>
            <source>no backup that passes verification was found in {folder}</source>
            <translation>在 {folder} 中未找到通过校验的备份</translation>
        </message>
        <message>
            <source>{path}: the database fails its check, so nothing was written:</source>
            <translation>{path}：数据库未通过检查，因此未写入任何内容：</translation>
        </message>
        <message>
            <source>{path}: cannot read: {error}</source>
            <translation>{path}：无法读取：{error}</translation>
        </message>
        <message>
            <source>{measurements} measurements, {courses} courses, {events} events, {labs} labs, {marrow} marrow, {assessments} assessments</source>
            <translation>身高体重 {measurements} 条、疗程 {courses} 个、事件 {events} 个、化验 {labs} 项、骨髓 {marrow} 次、评估 {assessments} 次</translation>
        </message>
        <message>
            <source>loaded demo patient {mrn} ({name}): {parts}</source>
            <translation>已载入演示患者 {mrn}（{name}）：{parts}</translation>
        </message>
        <message>
            <source>imported {mrn} ({name}): {parts}</source>
            <translation>已导入 {mrn}（{name}）：{parts}</translation>
        </message>
        <message>
            <source>wrote {file}</source>
            <translation>已写入 {file}</translation>
        </message>
        <message>
            <source>backup written to {file} (verified)</source>
            <translation>备份已写入 {file}（已校验）</translation>
        </message>
        <message>
            <source>the replaced database is kept as {file}</source>
            <translation>被替换的数据库保留为 {file}</translation>
        </message>
        <message>
            <source>there was no database to keep aside</source>
            <translation>原先没有需要保留的数据库</translation>
        </message>
        <message>
            <source>restored {path} from {file}; {kept}</source>
            <translation>已从 {file} 恢复 {path}；{kept}</translation>
        </message>
        <message>
            <source>The demo patient {mrn} is already in {path}; nothing was changed.</source>
            <translation>演示患者 {mrn} 已在 {path} 中；未做任何更改。</translation>
        </message>
        <message>
            <source>password of the server login {login} (the database's owner): </source>
            <translation>服务器登录名 {login}（数据库所有者）的密码：</translation>
        </message>
        <message>
            <source>new password for {name}: </source>
            <translation>{name} 的新密码：</translation>
        </message>
        <message>
            <source>the same password again: </source>
            <translation>再次输入同一密码：</translation>
        </message>
        <message>
            <source>the two passwords differ; nothing was changed</source>
            <translation>两次输入的密码不一致；未做任何更改</translation>
        </message>
        <message>
            <source>give --user NAME: the administrator account (and its password) that moves the database</source>
            <translation>请给出 --user NAME：迁移数据库的管理员账户（及其密码）</translation>
        </message>
        <message>
            <source>created the hemalog schema in {server} and its first administrator {name} (a login in hemalog_admin)</source>
            <translation>已在 {server} 中创建 hemalog 数据库结构及首位管理员 {name}（hemalog_admin 中的登录名）</translation>
        </message>
        <message>
            <source>next: sign in with hemalog --db {server} --user {name} list, or open the app with --db {server}; add the staff accounts in File ▸ Users…</source>
            <translation>下一步：用 hemalog --db {server} --user {name} list 登录，或用 --db {server} 打开软件；在 文件 ▸ 用户… 中添加员工账户</translation>
        </message>
        <message>
            <source>{server}: the hemalog schema is already version {version}; nothing was changed</source>
            <translation>{server}：hemalog 数据库结构已是版本 {version}；未做任何更改</translation>
        </message>
        <message>
            <source>{server}: hemalog schema upgraded from version {before} to {version}</source>
            <translation>{server}：hemalog 数据库结构已从版本 {before} 升级到 {version}</translation>
        </message>
        <message>
            <source>{server}: refused: the database already holds hemalog's tables; {what} fills an empty database only, and nothing was changed</source>
            <translation>{server}：已拒绝：该数据库已有 hemalog 的数据表；{what} 只能写入空数据库，未做任何更改</translation>
        </message>
        <message>
            <source>create a new, empty database on the server (createdb) and give its URL</source>
            <translation>请在服务器上新建一个空数据库（createdb）并给出其 URL</translation>
        </message>
        <message>
            <source>{file}: refused: it has no staff accounts, and a server database needs them; create the administrator in the app first, then try again</source>
            <translation>{file}：已拒绝：其中没有员工账户，而服务器数据库需要账户；请先在软件中创建管理员，然后重试</translation>
        </message>
        <message>
            <source>{name} is not an administrator: only an administrator may move a database to a server</source>
            <translation>{name} 不是管理员：只有管理员可以将数据库迁移到服务器</translation>
        </message>
        <message>
            <source>copied {file} into {server}: {counts}</source>
            <translation>已将 {file} 复制到 {server}：{counts}</translation>
        </message>
        <message>
            <source>checked on the server before committing: audit chain of {audit} rows intact; all {rows} data rows match their audit trail; the exports of all {patients} patients are byte-identical</source>
            <translation>提交前已在服务器上核对：审计链 {audit} 行完整；全部 {rows} 行数据与其审计记录一致；全部 {patients} 名患者的导出逐字节相同</translation>
        </message>
        <message>
            <source>{name} signs in with the password given</source>
            <translation>{name} 使用所给密码登录</translation>
        </message>
        <message>
            <source>these accounts cannot sign in until an administrator gives them a new password (File ▸ Users…): {names}</source>
            <translation>以下账户需由管理员设置新密码（文件 ▸ 用户…）后才能登录：{names}</translation>
        </message>
        <message>
            <source>disabled accounts (their logins are refused too): {names}</source>
            <translation>已停用的账户（其服务器登录名同样被拒绝）：{names}</translation>
        </message>
        <message>
            <source>next: hemalog --db {server} --user {name} list</source>
            <translation>下一步：hemalog --db {server} --user {name} list</translation>
        </message>
        <message>
            <source>migrate copies a database file into a server: --db must name the file, --to the server</source>
            <translation>migrate 将数据库文件复制到服务器：--db 须指定该文件，--to 指定服务器</translation>
        </message>
        <message>
            <source>{path}: no such database file; nothing to migrate</source>
            <translation>{path}：没有此数据库文件；无可迁移内容</translation>
        </message>
        <message>
            <source>on a server, verify reads every account's row, which only an administrator may: sign in as an administrator</source>
            <translation>在服务器上，verify 需读取每个账户的记录，只有管理员有此权限：请以管理员身份登录</translation>
        </message>
        <message>
            <source>no screen: the app needs a graphical session (DISPLAY is not set); the commands (import, export, report, ...) work without one</source>
            <translation>没有屏幕：软件需要图形界面会话（未设置 DISPLAY）；命令（import、export、report 等）无需图形界面即可使用</translation>
        </message>
        <message>
            <source>hemalog: interrupted</source>
            <translation>hemalog：已中断</translation>
        </message>
        <message>
            <source>hemalog: internal error ({kind}); details are in {path}</source>
            <translation>hemalog：内部错误（{kind}）；详情见 {path}</translation>
        </message>
        <message>
            <source>hemalog: internal error ({kind})</source>
            <translation>hemalog：内部错误（{kind}）</translation>
        </message>
    </context>
    <context>
        <name>CourseForm</name>
        <message>
            <source>Drug</source>
            <translation>药物</translation>
        </message>
        <message>
            <source>Dose</source>
            <translation>剂量</translation>
        </message>
        <message>
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <source>Days</source>
            <translation>天数</translation>
        </message>
        <message>
            <source>/day</source>
            <translation>次/天</translation>
        </message>
        <message>
            <source>Route</source>
            <translation>给药途径</translation>
        </message>
        <message>
            <source>Amount</source>
            <translation>单次剂量</translation>
        </message>
        <message>
            <source>Dates</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>chemotherapy</source>
            <translation>化疗</translation>
        </message>
        <message>
            <source>lymphodepletion</source>
            <translation>清淋预处理</translation>
        </message>
        <message>
            <source>conditioning</source>
            <translation>预处理方案</translation>
        </message>
        <message>
            <source>gvhd prophylaxis</source>
            <translation>GVHD预防</translation>
        </message>
        <message>
            <source>cellular therapy</source>
            <translation>细胞治疗</translation>
        </message>
        <message>
            <source>targeted</source>
            <translation>靶向治疗</translation>
        </message>
        <message>
            <source>supportive</source>
            <translation>支持治疗</translation>
        </message>
        <message>
            <source>other</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>未知</translation>
        </message>
        <message>
            <source>{day} {month}</source>
            <translation>{month}月{day}日</translation>
        </message>
        <message>
            <source>Course</source>
            <translation>疗程</translation>
        </message>
        <message>
            <source>Warnings: listed in full under the table</source>
            <translation>警示：完整列于表格下方</translation>
        </message>
        <message>
            <source>Drug lines</source>
            <translation>用药明细</translation>
        </message>
        <message>
            <source>Dose warnings</source>
            <translation>剂量警示</translation>
        </message>
        <message>
            <source>Body size used</source>
            <translation>所用体型参数</translation>
        </message>
        <message>
            <source>Regimen template</source>
            <translation>方案模板</translation>
        </message>
        <message>
            <source>— choose a regimen template —</source>
            <translation>— 选择方案模板 —</translation>
        </message>
        <message>
            <source>{name} (saved here)</source>
            <translation>{name}（本机保存）</translation>
        </message>
        <message>
            <source>Regimen template notes</source>
            <translation>方案模板说明</translation>
        </message>
        <message>
            <source>dose warnings</source>
            <translation>剂量警告</translation>
        </message>
        <message>
            <source>Remove drug line</source>
            <translation>删除药物行</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>Days count from</source>
            <translation>天数计算起点</translation>
        </message>
        <message>
            <source>course start (day 1 = start date)</source>
            <translation>疗程开始（开始日期为第1天）</translation>
        </message>
        <message>
            <source>transplant (HSCT = day 0)</source>
            <translation>移植（HSCT当天为第0天）</translation>
        </message>
        <message>
            <source>CAR-T infusion (day 0)</source>
            <translation>CAR-T细胞回输（回输当天为第0天）</translation>
        </message>
        <message>
            <source>Source: {source}</source>
            <translation>来源：{source}</translation>
        </message>
        <message>
            <source>From template {name}.</source>
            <translation>来自模板 {name}。</translation>
        </message>
        <message>
            <source>Save as template</source>
            <translation>另存为模板</translation>
        </message>
        <message>
            <source>Complete the course first: {problems}</source>
            <translation>请先完成疗程：{problems}</translation>
        </message>
        <message>
            <source>Template name:</source>
            <translation>模板名称：</translation>
        </message>
        <message>
            <source>Template not saved</source>
            <translation>模板未保存</translation>
        </message>
        <message>
            <source>Saved as template {name}.</source>
            <translation>已另存为模板 {name}。</translation>
        </message>
        <message>
            <source>Doses appear when every line is complete.</source>
            <translation>每行填写完整后显示剂量。</translation>
        </message>
        <message>
            <source>Doses use: {body}</source>
            <translation>剂量依据：{body}</translation>
        </message>
        <message>
            <source>line {n}</source>
            <translation>第{n}行</translation>
        </message>
        <message>
            <source>Line {n} {field}{problem}</source>
            <translation>第{n}行 {field}{problem}</translation>
        </message>
        <message>
            <source>Add at least one drug line.</source>
            <translation>请至少添加一行药物。</translation>
        </message>
    </context>
    <context>
        <name>CrsForm</name>
        <message>
            <source>none (room air)</source>
            <translation>无（室内空气）</translation>
        </message>
        <message>
            <source>blow-by</source>
            <translation>吹氧</translation>
        </message>
        <message>
            <source>nasal cannula</source>
            <translation>鼻导管</translation>
        </message>
        <message>
            <source>facemask</source>
            <translation>面罩</translation>
        </message>
        <message>
            <source>non-rebreather</source>
            <translation>储氧面罩</translation>
        </message>
        <message>
            <source>Venturi mask</source>
            <translation>文丘里面罩</translation>
        </message>
        <message>
            <source>CPAP</source>
            <translation>CPAP（持续气道正压）</translation>
        </message>
        <message>
            <source>BiPAP</source>
            <translation>BiPAP（双水平气道正压）</translation>
        </message>
        <message>
            <source>mechanical ventilation</source>
            <translation>机械通气</translation>
        </message>
        <message>
            <source>Cytokine release syndrome (CRS)</source>
            <translation>细胞因子释放综合征（CRS）</translation>
        </message>
        <message>
            <source>Fever from another cause</source>
            <translation>其他原因发热</translation>
        </message>
        <message>
            <source>Fever explained by another cause (e.g. infection)</source>
            <translation>发热可由其他原因解释（如感染）</translation>
        </message>
        <message>
            <source>Fever masked</source>
            <translation>发热被掩盖</translation>
        </message>
        <message>
            <source>Antipyretic, tocilizumab or steroid given (fever masked)</source>
            <translation>已用退热药、托珠单抗或糖皮质激素（发热被掩盖）</translation>
        </message>
        <message>
            <source>Hypotension (fluids or vasopressors)</source>
            <translation>低血压（需补液或血管活性药物）</translation>
        </message>
        <message>
            <source>Vasopressors</source>
            <translation>血管活性药物</translation>
        </message>
        <message>
            <source>e.g. norepinephrine, vasopressin</source>
            <translation>如 去甲肾上腺素、血管加压素</translation>
        </message>
        <message>
            <source>Separate names with commas. Saved under the record's English name: norepinephrine, epinephrine, phenylephrine, dopamine, vasopressin, angiotensin ii.</source>
            <translation>多个药名用逗号或顿号分隔。按病历格式的英文名保存：去甲肾上腺素 norepinephrine、肾上腺素 epinephrine、去氧肾上腺素 phenylephrine、多巴胺 dopamine、血管加压素 vasopressin、血管紧张素II angiotensin ii。</translation>
        </message>
        <message>
            <source>Oxygen flow</source>
            <translation>氧流量</translation>
        </message>
        <message>
            <source>Fatal</source>
            <translation>死亡</translation>
        </message>
        <message>
            <source>Death due to CRS</source>
            <translation>死于CRS</translation>
        </message>
    </context>
    <context>
        <name>DailyBackup</name>
        <message>
            <source>internal error (see the log)</source>
            <translation>内部错误（见日志）</translation>
        </message>
        <message>
            <source>Automatic backup failed: {why}</source>
            <translation>自动备份失败：{why}</translation>
        </message>
    </context>
    <context>
        <name>DateField</name>
        <message>
            <source>Days of the month</source>
            <translation>本月日期</translation>
        </message>
        <message>
            <source>Previous month</source>
            <translation>上个月</translation>
        </message>
        <message>
            <source>Next month</source>
            <translation>下个月</translation>
        </message>
        <message>
            <source>Month</source>
            <translation>月</translation>
        </message>
        <message>
            <source>Year</source>
            <translation>年</translation>
        </message>
        <message>
            <source>yyyy-mm-dd</source>
            <translation>年-月-日</translation>
        </message>
        <message>
            <source>Type the date year first: {examples}.
Alt+Down or F4 opens a calendar.</source>
            <translation>日期请先写年份：{examples}。
Alt+↓ 或 F4 打开日历。</translation>
        </message>
        <message>
            <source>Pick the {field} from a calendar</source>
            <translation>从日历中选择{field}</translation>
        </message>
        <message>
            <source>Calendar (Alt+Down or F4)</source>
            <translation>日历（Alt+↓ 或 F4）</translation>
        </message>
        <message>
            <source>{field}: weekday and day counters</source>
            <translation>{field}：星期及天数</translation>
        </message>
        <message>
            <source>{field} calendar</source>
            <translation>{field}日历</translation>
        </message>
    </context>
    <context>
        <name>DateWords</name>
        <message>
            <source>Mon</source>
            <translation>周一</translation>
        </message>
        <message>
            <source>Tue</source>
            <translation>周二</translation>
        </message>
        <message>
            <source>Wed</source>
            <translation>周三</translation>
        </message>
        <message>
            <source>Thu</source>
            <translation>周四</translation>
        </message>
        <message>
            <source>Fri</source>
            <translation>周五</translation>
        </message>
        <message>
            <source>Sat</source>
            <translation>周六</translation>
        </message>
        <message>
            <source>Sun</source>
            <translation>周日</translation>
        </message>
        <message>
            <source>2025-04-10, 20250410, 2025/4/10, t (today) or t-3 (3 days ago)</source>
            <translation>2025-04-10、20250410、2025/4/10、t（今天）或 t-3（3天前）</translation>
        </message>
        <message>
            <source>{day} {month} {year}</source>
            <translation>{year}年{month}月{day}日</translation>
        </message>
        <message>
            <source>{weekday} {day} {month} {year}</source>
            <translation>{year}年{month}月{day}日 {weekday}</translation>
        </message>
        <message>
            <source>{field} {typed}</source>
            <translation>{field} {typed}</translation>
        </message>
        <message>
            <source>{typed} is ambiguous: {meanings}? Type the year first: {typings}.</source>
            <translation>{typed} 有歧义：{meanings}？请先写年份：{typings}。</translation>
        </message>
        <message>
            <source>{typed}: type the year first, e.g. {iso} ({words}).</source>
            <translation>{typed}：请先写年份，如 {iso}（{words}）。</translation>
        </message>
        <message>
            <source>{typed}: the year needs four digits and comes first, e.g. 2025-04-10.</source>
            <translation>{typed}：年份须为四位数字并写在最前，如 2025-04-10。</translation>
        </message>
        <message>
            <source>{typed}: there is no month {month} (year, month, day: e.g. 2025-04-10).</source>
            <translation>{typed}：没有{month}月（按年、月、日书写，如 2025-04-10）。</translation>
        </message>
        <message>
            <source>{typed}: there is no year 0.</source>
            <translation>{typed}：没有0年。</translation>
        </message>
        <message>
            <source>{typed}: {month} {year} has no day {day}.</source>
            <translation>{typed}：{year}年{month}月没有{day}日。</translation>
        </message>
        <message>
            <source>{typed} is not a day of the calendar: check the month and the day.</source>
            <translation>{typed} 不是日历上的日期：请核对月份和日。</translation>
        </message>
        <message>
            <source>{typed} is more than a century away: type the date itself.</source>
            <translation>{typed} 与今天相距超过一百年：请直接输入日期。</translation>
        </message>
        <message>
            <source>{typed} is not a date: type {examples}.</source>
            <translation>{typed} 不是日期：请输入 {examples}。</translation>
        </message>
    </context>
    <context>
        <name>EventForm</name>
        <message>
            <source>diagnosis</source>
            <translation>诊断</translation>
        </message>
        <message>
            <source>CAR-T infusion</source>
            <translation>CAR-T细胞回输</translation>
        </message>
        <message>
            <source>HSCT (stem cell transplant)</source>
            <translation>造血干细胞移植（HSCT）</translation>
        </message>
        <message>
            <source>PET-CT</source>
            <translation>PET-CT</translation>
        </message>
        <message>
            <source>transfusion</source>
            <translation>输血</translation>
        </message>
        <message>
            <source>infection</source>
            <translation>感染</translation>
        </message>
        <message>
            <source>engraftment confirmed</source>
            <translation>确认植入</translation>
        </message>
        <message>
            <source>relapse</source>
            <translation>复发</translation>
        </message>
        <message>
            <source>death</source>
            <translation>死亡</translation>
        </message>
        <message>
            <source>last follow-up</source>
            <translation>末次随访</translation>
        </message>
        <message>
            <source>other</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>事件</translation>
        </message>
        <message>
            <source>Product</source>
            <translation>产品</translation>
        </message>
        <message>
            <source>cells/kg</source>
            <translation>细胞/kg</translation>
        </message>
        <message>
            <source>Donor</source>
            <translation>供者</translation>
        </message>
        <message>
            <source>autologous or relation</source>
            <translation>自体或供者关系</translation>
        </message>
        <message>
            <source>Donor relation</source>
            <translation>供者关系</translation>
        </message>
        <message>
            <source>e.g. 9/10</source>
            <translation>如 9/10</translation>
        </message>
        <message>
            <source>Graft</source>
            <translation>移植物</translation>
        </message>
        <message>
            <source>haploidentical</source>
            <translation>单倍体相合</translation>
        </message>
        <message>
            <source>matched sibling</source>
            <translation>同胞全相合</translation>
        </message>
        <message>
            <source>matched unrelated</source>
            <translation>无关供者相合</translation>
        </message>
        <message>
            <source>cord blood</source>
            <translation>脐带血</translation>
        </message>
        <message>
            <source>Conditioning</source>
            <translation>预处理方案</translation>
        </message>
        <message>
            <source>myeloablative (MAC)</source>
            <translation>清髓性（MAC）</translation>
        </message>
        <message>
            <source>reduced intensity (RIC)</source>
            <translation>减低强度（RIC）</translation>
        </message>
        <message>
            <source>non-myeloablative (NMA)</source>
            <translation>非清髓性（NMA）</translation>
        </message>
        <message>
            <source>1-5</source>
            <translation>1-5分</translation>
        </message>
        <message>
            <source>Response</source>
            <translation>疗效</translation>
        </message>
        <message>
            <source>platelets</source>
            <translation>血小板</translation>
        </message>
        <message>
            <source>red cells</source>
            <translation>红细胞</translation>
        </message>
        <message>
            <source>plasma</source>
            <translation>血浆</translation>
        </message>
        <message>
            <source>granulocytes</source>
            <translation>粒细胞</translation>
        </message>
        <message>
            <source>Site</source>
            <translation>部位</translation>
        </message>
        <message>
            <source>Lineage</source>
            <translation>植入类型</translation>
        </message>
        <message>
            <source>neutrophil</source>
            <translation>中性粒细胞植入</translation>
        </message>
        <message>
            <source>platelet</source>
            <translation>血小板植入</translation>
        </message>
    </context>
    <context>
        <name>FirstAdminDialog</name>
        <message>
            <source>Create the administrator account</source>
            <translation>创建管理员账户</translation>
        </message>
        <message>
            <source>&lt;b&gt;Create the administrator account&lt;/b&gt;&lt;p&gt;This database has no user accounts yet. The administrator signs in first, then adds the ward staff (File ▸ Users…).&lt;/p&gt;</source>
            <translation>&lt;b&gt;创建管理员账户&lt;/b&gt;&lt;p&gt;此数据库还没有用户账户。管理员先登录，然后添加病房工作人员（文件 ▸ 用户…）。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <source>Display name</source>
            <translation>显示名称</translation>
        </message>
        <message>
            <source>e.g. Dr Ann Lee (shown in the status bar)</source>
            <translation>例如：李安医师（显示在状态栏）</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>Password again</source>
            <translation>再次输入密码</translation>
        </message>
        <message>
            <source>Problems</source>
            <translation>问题</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>The two passwords do not match.</source>
            <translation>两次输入的密码不一致。</translation>
        </message>
    </context>
    <context>
        <name>Help</name>
        <message>
            <source>Why?</source>
            <translation>为什么？</translation>
        </message>
        <message>
            <source>Why? The rule for {what}</source>
            <translation>为什么？{what}的规则</translation>
        </message>
        <message>
            <source>Open the rule hemalog applies ({what})</source>
            <translation>打开 hemalog 采用的规则（{what}）</translation>
        </message>
    </context>
    <context>
        <name>HelpWindow</name>
        <message>
            <source>hemalog help</source>
            <translation>hemalog 帮助</translation>
        </message>
        <message>
            <source>Help text</source>
            <translation>帮助内容</translation>
        </message>
        <message>
            <source>User guide</source>
            <translation>用户指南</translation>
        </message>
        <message>
            <source>Clinical rules</source>
            <translation>临床规则</translation>
        </message>
        <message>
            <source>Back</source>
            <translation>返回</translation>
        </message>
        <message>
            <source>The help file {path} cannot be read: {error}</source>
            <translation>无法读取帮助文件 {path}：{error}</translation>
        </message>
        <message>
            <source>hemalog help — {title}</source>
            <translation>hemalog 帮助 — {title}</translation>
        </message>
    </context>
    <context>
        <name>HistoryView</name>
        <message>
            <source>date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>value</source>
            <translation>数值</translation>
        </message>
        <message>
            <source>unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <source>lower limit</source>
            <translation>参考下限</translation>
        </message>
        <message>
            <source>upper limit</source>
            <translation>参考上限</translation>
        </message>
        <message>
            <source>drug</source>
            <translation>药物</translation>
        </message>
        <message>
            <source>dose</source>
            <translation>剂量</translation>
        </message>
        <message>
            <source>days</source>
            <translation>给药日</translation>
        </message>
        <message>
            <source>doses per day</source>
            <translation>每日次数</translation>
        </message>
        <message>
            <source>route</source>
            <translation>途径</translation>
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
            <source>added</source>
            <translation>新增</translation>
        </message>
        <message>
            <source>corrected</source>
            <translation>更正</translation>
        </message>
        <message>
            <source>voided</source>
            <translation>作废</translation>
        </message>
        <message>
            <source>patients</source>
            <translation>患者</translation>
        </message>
        <message>
            <source>courses</source>
            <translation>疗程</translation>
        </message>
        <message>
            <source>drug lines</source>
            <translation>药物条目</translation>
        </message>
        <message>
            <source>events</source>
            <translation>事件</translation>
        </message>
        <message>
            <source>labs</source>
            <translation>化验</translation>
        </message>
        <message>
            <source>marrow</source>
            <translation>骨髓</translation>
        </message>
        <message>
            <source>measurements</source>
            <translation>身高体重</translation>
        </message>
        <message>
            <source>assessments</source>
            <translation>评估</translation>
        </message>
        <message>
            <source>signed by {who} {at}: {meaning}</source>
            <translation>{who} 于 {at} 签名：{meaning}</translation>
        </message>
        <message>
            <source>When</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Who</source>
            <translation>操作人</translation>
        </message>
        <message>
            <source>user name: {name}</source>
            <translation>用户名：{name}</translation>
        </message>
        <message>
            <source>Workstation</source>
            <translation>工作站</translation>
        </message>
        <message>
            <source>not recorded (before schema 3)</source>
            <translation>未记录（数据库结构第3版之前）</translation>
        </message>
        <message>
            <source>What</source>
            <translation>对象</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <source>Changes</source>
            <translation>更改内容</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Signature</source>
            <translation>签名</translation>
        </message>
        <message>
            <source>Audit trail</source>
            <translation>审计追踪</translation>
        </message>
        <message>
            <source>History summary</source>
            <translation>历史摘要</translation>
        </message>
        <message>
            <source>Only corrections and voids</source>
            <translation>仅显示更正和作废</translation>
        </message>
        <message>
            <source>Show only corrections and voids</source>
            <translation>仅显示更正和作废</translation>
        </message>
        <message>
            <source>Selected change</source>
            <translation>所选更改</translation>
        </message>
        <message>
            <source>{n} changes, newest first: {corrected} corrected, {voided} voided. Nothing is ever deleted.</source>
            <translation>共 {n} 项更改，最新的在前：更正 {corrected} 项，作废 {voided} 项。任何内容都不会被删除。</translation>
        </message>
        <message>
            <source>Select a row to see the change in full.</source>
            <translation>选择一行以查看完整更改。</translation>
        </message>
        <message>
            <source>&lt;br&gt;&lt;b&gt;Reason:&lt;/b&gt; {reason}</source>
            <translation>&lt;br&gt;&lt;b&gt;原因：&lt;/b&gt;{reason}</translation>
        </message>
        <message>
            <source>&lt;br&gt;&lt;b&gt;Signature:&lt;/b&gt; {signed}</source>
            <translation>&lt;br&gt;&lt;b&gt;签名：&lt;/b&gt;{signed}</translation>
        </message>
        <message>
            <source>&lt;br&gt;&lt;b&gt;Workstation:&lt;/b&gt; {workstation}</source>
            <translation>&lt;br&gt;&lt;b&gt;工作站：&lt;/b&gt;{workstation}</translation>
        </message>
    </context>
    <context>
        <name>IcansForm</name>
        <message>
            <source>Year</source>
            <translation>定向力：年份</translation>
        </message>
        <message>
            <source>Month</source>
            <translation>定向力：月份</translation>
        </message>
        <message>
            <source>City</source>
            <translation>定向力：城市</translation>
        </message>
        <message>
            <source>Hospital</source>
            <translation>定向力：医院</translation>
        </message>
        <message>
            <source>Names object 1</source>
            <translation>命名：物品1</translation>
        </message>
        <message>
            <source>Names object 2</source>
            <translation>命名：物品2</translation>
        </message>
        <message>
            <source>Names object 3</source>
            <translation>命名：物品3</translation>
        </message>
        <message>
            <source>Follows a command</source>
            <translation>执行指令（如“伸出两根手指”）</translation>
        </message>
        <message>
            <source>Writes a sentence</source>
            <translation>书写一个标准句子</translation>
        </message>
        <message>
            <source>Counts back from 100 by 10</source>
            <translation>从100开始每次减10倒数</translation>
        </message>
        <message>
            <source>Orientation: year, month, city, hospital (1 point each, 4 in all)</source>
            <translation>定向力：年份、月份、城市、医院（各1分，共4分）</translation>
        </message>
        <message>
            <source>Naming: names 3 objects shown, e.g. a clock, a pen, a button (1 point each, 3 in all)</source>
            <translation>命名：说出3个物品名称，如钟表、笔、纽扣（各1分，共3分）</translation>
        </message>
        <message>
            <source>Following commands, e.g. "show me 2 fingers" (1 point)</source>
            <translation>执行指令：如“伸出两根手指”（1分）</translation>
        </message>
        <message>
            <source>Writing a standard sentence (1 point)</source>
            <translation>书写：写一个标准句子（1分）</translation>
        </message>
        <message>
            <source>Attention: counts backwards from 100 by 10 (1 point)</source>
            <translation>注意力：从100开始每次减10倒数（1分）</translation>
        </message>
        <message>
            <source>Immune effector cell-associated neurotoxicity (ICANS)</source>
            <translation>免疫效应细胞相关神经毒性综合征（ICANS）</translation>
        </message>
        <message>
            <source>ICE: {item}</source>
            <translation>ICE评分：{item}</translation>
        </message>
        <message>
            <source>ICE score</source>
            <translation>ICE评分</translation>
        </message>
        <message>
            <source>of 10</source>
            <translation>/10分</translation>
        </message>
        <message>
            <source>Consciousness</source>
            <translation>意识水平</translation>
        </message>
        <message>
            <source>alert</source>
            <translation>清醒</translation>
        </message>
        <message>
            <source>awakens spontaneously</source>
            <translation>可自行唤醒</translation>
        </message>
        <message>
            <source>awakens to voice</source>
            <translation>声音可唤醒</translation>
        </message>
        <message>
            <source>awakens only to touch</source>
            <translation>仅触觉刺激可唤醒</translation>
        </message>
        <message>
            <source>unarousable</source>
            <translation>不能唤醒</translation>
        </message>
        <message>
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <source>resolved rapidly</source>
            <translation>迅速缓解</translation>
        </message>
        <message>
            <source>prolonged (&gt; 5 min) or repetitive</source>
            <translation>持续（&gt; 5分钟）或反复发作</translation>
        </message>
        <message>
            <source>deep focal weakness</source>
            <translation>深部局灶性运动无力</translation>
        </message>
        <message>
            <source>focal</source>
            <translation>局灶性</translation>
        </message>
        <message>
            <source>diffuse</source>
            <translation>弥漫性</translation>
        </message>
        <message>
            <source>Fatal</source>
            <translation>死亡</translation>
        </message>
        <message>
            <source>Death due to ICANS</source>
            <translation>死于ICANS</translation>
        </message>
    </context>
    <context>
        <name>ItemForm</name>
        <message>
            <source>course {name}</source>
            <translation>疗程 {name}</translation>
        </message>
        <message>
            <source>item of {date}</source>
            <translation>{date} 的记录</translation>
        </message>
        <message>
            <source>item</source>
            <translation>记录</translation>
        </message>
        <message>
            <source>Problems</source>
            <translation>问题</translation>
        </message>
        <message>
            <source>Save {form}</source>
            <translation>保存{form}</translation>
        </message>
        <message>
            <source>Clear {form} form</source>
            <translation>清空{form}表单</translation>
        </message>
        <message>
            <source>Save status</source>
            <translation>保存状态</translation>
        </message>
        <message>
            <source>{field} problem</source>
            <translation>{field}问题</translation>
        </message>
        <message>
            <source>Correcting the saved {item}</source>
            <translation>正在更正已保存的{item}</translation>
        </message>
        <message>
            <source>{field}: {problem}</source>
            <translation>{field}：{problem}</translation>
        </message>
        <message>
            <source>{field} {problem}</source>
            <translation>{field}{problem}</translation>
        </message>
        <message>
            <source>Correct a saved item</source>
            <translation>更正已保存的记录</translation>
        </message>
        <message>
            <source>Reason for the correction:</source>
            <translation>更正原因：</translation>
        </message>
        <message>
            <source>Not saved: a correction needs a reason</source>
            <translation>未保存：更正需要填写原因</translation>
        </message>
        <message>
            <source>Not saved: this correction needs your signature</source>
            <translation>未保存：此更正需要您的签名</translation>
        </message>
        <message>
            <source>Not saved. {reason}</source>
            <translation>未保存。{reason}</translation>
        </message>
        <message>
            <source>Saved {item}.</source>
            <translation>已保存{item}。</translation>
        </message>
    </context>
    <context>
        <name>ItemSection</name>
        <message>
            <source>Saved {items}</source>
            <translation>已保存的{items}</translation>
        </message>
        <message>
            <source>Correct the selected {item}</source>
            <translation>更正所选{item}</translation>
        </message>
        <message>
            <source>Void the selected {item}</source>
            <translation>作废所选{item}</translation>
        </message>
        <message>
            <source>Not voided</source>
            <translation>未作废</translation>
        </message>
        <message>
            <source>Void</source>
            <translation>作废</translation>
        </message>
        <message>
            <source>Why is this item voided? (it stays in the audit trail)</source>
            <translation>作废原因？（记录仍保留在审计追踪中）</translation>
        </message>
        <message>
            <source>Unsaved input</source>
            <translation>未保存的输入</translation>
        </message>
        <message>
            <source>The form has unsaved input. Discard it?</source>
            <translation>表单有未保存的输入。是否放弃？</translation>
        </message>
    </context>
    <context>
        <name>Keymap</name>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>Help</source>
            <translation>帮助</translation>
        </message>
        <message>
            <source>&amp;New patient…</source>
            <translation>新建患者(&amp;N)…</translation>
        </message>
        <message>
            <source>Overview</source>
            <translation>概览</translation>
        </message>
        <message>
            <source>&amp;Courses</source>
            <translation>疗程(&amp;C)</translation>
        </message>
        <message>
            <source>To&amp;xicity</source>
            <translation>毒性(&amp;X)</translation>
        </message>
        <message>
            <source>Marro&amp;w</source>
            <translation>骨髓(&amp;W)</translation>
        </message>
        <message>
            <source>&amp;Labs</source>
            <translation>化验(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Events</source>
            <translation>事件(&amp;E)</translation>
        </message>
        <message>
            <source>Meas&amp;urements</source>
            <translation>身高体重(&amp;U)</translation>
        </message>
        <message>
            <source>Histor&amp;y</source>
            <translation>历史(&amp;Y)</translation>
        </message>
        <message>
            <source>Load the &amp;demo patient (published case)</source>
            <translation>载入演示患者（已发表病例）(&amp;D)</translation>
        </message>
        <message>
            <source>New patient…</source>
            <translation>新建患者…</translation>
        </message>
        <message>
            <source>&amp;Find patient</source>
            <translation>查找患者(&amp;F)</translation>
        </message>
        <message>
            <source>Patient &amp;details…</source>
            <translation>患者信息(&amp;D)…</translation>
        </message>
        <message>
            <source>Load de&amp;mo patient</source>
            <translation>载入演示患者(&amp;M)</translation>
        </message>
        <message>
            <source>Import &amp;lab results…</source>
            <translation>导入检验结果(&amp;L)…</translation>
        </message>
        <message>
            <source>Re&amp;gistry export…</source>
            <translation>登记处导出(&amp;G)…</translation>
        </message>
        <message>
            <source>&amp;Print summary…</source>
            <translation>打印摘要(&amp;P)…</translation>
        </message>
        <message>
            <source>Save summary &amp;as PDF…</source>
            <translation>将摘要另存为 PDF(&amp;A)…</translation>
        </message>
        <message>
            <source>Save de-&amp;identified summary as PDF…</source>
            <translation>将去标识化摘要另存为 PDF(&amp;I)…</translation>
        </message>
        <message>
            <source>&amp;Users…</source>
            <translation>用户(&amp;U)…</translation>
        </message>
        <message>
            <source>P&amp;references…</source>
            <translation>首选项(&amp;R)…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Trend plots</source>
            <translation>趋势图(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Focus trend plots</source>
            <translation>转到趋势图(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Widen form</source>
            <translation>加宽表单(&amp;W)</translation>
        </message>
        <message>
            <source>&amp;Narrow form</source>
            <translation>收窄表单(&amp;N)</translation>
        </message>
        <message>
            <source>Wider patient &amp;list</source>
            <translation>加宽患者列表(&amp;L)</translation>
        </message>
        <message>
            <source>Narrower patient li&amp;st</source>
            <translation>收窄患者列表(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;User guide</source>
            <translation>用户指南(&amp;U)</translation>
        </message>
        <message>
            <source>&amp;Clinical rules</source>
            <translation>临床规则(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;About hemalog</source>
            <translation>关于 hemalog(&amp;A)</translation>
        </message>
        <message>
            <source>Correc&amp;t selected</source>
            <translation>更正所选(&amp;T)</translation>
        </message>
        <message>
            <source>Vo&amp;id selected…</source>
            <translation>作废所选(&amp;I)…</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <source>Clea&amp;r</source>
            <translation>清空(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Date</source>
            <translation>日期(&amp;D)</translation>
        </message>
        <message>
            <source>N&amp;otes</source>
            <translation>备注(&amp;O)</translation>
        </message>
        <message>
            <source>Record CRS/ICANS tre&amp;atment…</source>
            <translation>记录 CRS/ICANS 治疗(&amp;A)…</translation>
        </message>
        <message>
            <source>Tem&amp;perature (highest)</source>
            <translation>体温（最高）(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;Hypotension</source>
            <translation>低血压(&amp;H)</translation>
        </message>
        <message>
            <source>Oxy&amp;gen</source>
            <translation>吸氧(&amp;G)</translation>
        </message>
        <message>
            <source>ICE &amp;helper: tick each item the patient gets right</source>
            <translation>ICE评分助手：勾选患者答对的每一项(&amp;H)</translation>
        </message>
        <message>
            <source>Sei&amp;zure</source>
            <translation>癫痫发作(&amp;Z)</translation>
        </message>
        <message>
            <source>Motor wea&amp;kness</source>
            <translation>运动无力(&amp;K)</translation>
        </message>
        <message>
            <source>Cere&amp;bral oedema</source>
            <translation>脑水肿(&amp;B)</translation>
        </message>
        <message>
            <source>S&amp;kin rash</source>
            <translation>皮疹(&amp;K)</translation>
        </message>
        <message>
            <source>&amp;Bilirubin</source>
            <translation>胆红素(&amp;B)</translation>
        </message>
        <message>
            <source>Upper &amp;GI</source>
            <translation>上消化道(&amp;G)</translation>
        </message>
        <message>
            <source>Stool e&amp;pisodes</source>
            <translation>排便次数(&amp;P)</translation>
        </message>
        <message>
            <source>S&amp;kin</source>
            <translation>皮肤(&amp;K)</translation>
        </message>
        <message>
            <source>Mout&amp;h</source>
            <translation>口腔(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;GI tract</source>
            <translation>消化道(&amp;G)</translation>
        </message>
        <message>
            <source>&amp;Joints and fascia</source>
            <translation>关节与筋膜(&amp;J)</translation>
        </message>
        <message>
            <source>Re&amp;gimen:</source>
            <translation>方案(&amp;G)：</translation>
        </message>
        <message>
            <source>Na&amp;me</source>
            <translation>名称(&amp;M)</translation>
        </message>
        <message>
            <source>Start &amp;date</source>
            <translation>开始日期(&amp;D)</translation>
        </message>
        <message>
            <source>&amp;Add drug line</source>
            <translation>添加药物(&amp;A)</translation>
        </message>
        <message>
            <source>Save as tem&amp;plate…</source>
            <translation>另存为模板(&amp;P)…</translation>
        </message>
        <message>
            <source>&amp;Blasts</source>
            <translation>原始细胞(&amp;B)</translation>
        </message>
        <message>
            <source>&amp;MRD</source>
            <translation>MRD(&amp;M)</translation>
        </message>
        <message>
            <source>Donor c&amp;himerism</source>
            <translation>供者嵌合率(&amp;H)</translation>
        </message>
        <message>
            <source>Cellul&amp;arity</source>
            <translation>增生程度(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Karyotype</source>
            <translation>核型(&amp;K)</translation>
        </message>
        <message>
            <source>Ty&amp;pe</source>
            <translation>类型(&amp;P)</translation>
        </message>
        <message>
            <source>Cells per &amp;kg</source>
            <translation>每千克细胞数(&amp;K)</translation>
        </message>
        <message>
            <source>&amp;HLA match</source>
            <translation>HLA 配型(&amp;H)</translation>
        </message>
        <message>
            <source>De&amp;auville score</source>
            <translation>Deauville 评分(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Blood product</source>
            <translation>血液制品(&amp;B)</translation>
        </message>
        <message>
            <source>Or&amp;ganism</source>
            <translation>病原体(&amp;G)</translation>
        </message>
        <message>
            <source>&amp;Height</source>
            <translation>身高(&amp;H)</translation>
        </message>
        <message>
            <source>Wei&amp;ght</source>
            <translation>体重(&amp;G)</translation>
        </message>
        <message>
            <source>New &amp;row</source>
            <translation>新建行(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Save changed rows</source>
            <translation>保存已更改的行(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;MRN</source>
            <translation>病历号(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;Name</source>
            <translation>姓名(&amp;N)</translation>
        </message>
        <message>
            <source>Se&amp;x</source>
            <translation>性别(&amp;X)</translation>
        </message>
        <message>
            <source>&amp;Birth date</source>
            <translation>出生日期(&amp;B)</translation>
        </message>
        <message>
            <source>&amp;Age at diagnosis</source>
            <translation>诊断时年龄(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Diagnosis</source>
            <translation>诊断(&amp;D)</translation>
        </message>
        <message>
            <source>Diagnosis da&amp;te</source>
            <translation>诊断日期(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Immunophenotype</source>
            <translation>免疫表型(&amp;I)</translation>
        </message>
        <message>
            <source>C&amp;hange role</source>
            <translation>更改角色(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;Reset password</source>
            <translation>重设密码(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Disable</source>
            <translation>停用(&amp;D)</translation>
        </message>
        <message>
            <source>&amp;Enable</source>
            <translation>启用(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;Add user</source>
            <translation>添加用户(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;User name</source>
            <translation>用户名(&amp;U)</translation>
        </message>
        <message>
            <source>Display &amp;name</source>
            <translation>显示名称(&amp;N)</translation>
        </message>
        <message>
            <source>R&amp;ole</source>
            <translation>角色(&amp;O)</translation>
        </message>
        <message>
            <source>&amp;Password</source>
            <translation>密码(&amp;P)</translation>
        </message>
        <message>
            <source>Un&amp;lock</source>
            <translation>解锁(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Sign in</source>
            <translation>登录(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Display name</source>
            <translation>显示名称(&amp;D)</translation>
        </message>
        <message>
            <source>Password &amp;again</source>
            <translation>再次输入密码(&amp;A)</translation>
        </message>
        <message>
            <source>C&amp;reate and sign in</source>
            <translation>创建并登录(&amp;R)</translation>
        </message>
        <message>
            <source>Sign in as &amp;someone else</source>
            <translation>以其他用户登录(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Sign</source>
            <translation>签名(&amp;S)</translation>
        </message>
    </context>
    <context>
        <name>LabImportDialog</name>
        <message>
            <source>Import lab results — {file}</source>
            <translation>导入检验结果 — {file}</translation>
        </message>
        <message>
            <source>&amp;Back to the columns</source>
            <translation>返回列设置(&amp;B)</translation>
        </message>
        <message>
            <source>&amp;Preview</source>
            <translation>预览(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;Import</source>
            <translation>导入(&amp;I)</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <source>Saved columns</source>
            <translation>已保存的列设置</translation>
        </message>
        <message>
            <source>As the header names them</source>
            <translation>按表头识别</translation>
        </message>
        <message>
            <source>Layout</source>
            <translation>表格格式</translation>
        </message>
        <message>
            <source>Long: one result per row</source>
            <translation>纵向：每行一个结果</translation>
        </message>
        <message>
            <source>Wide: one column per test</source>
            <translation>横向：每列一个项目</translation>
        </message>
        <message>
            <source>Date column</source>
            <translation>日期列</translation>
        </message>
        <message>
            <source>Date written as</source>
            <translation>日期写法</translation>
        </message>
        <message>
            <source>MRN column</source>
            <translation>病历号列</translation>
        </message>
        <message>
            <source>Test column</source>
            <translation>项目列</translation>
        </message>
        <message>
            <source>Value column</source>
            <translation>结果列</translation>
        </message>
        <message>
            <source>Unit column</source>
            <translation>单位列</translation>
        </message>
        <message>
            <source>Reference range column</source>
            <translation>参考范围列</translation>
        </message>
        <message>
            <source>Test columns and their units</source>
            <translation>项目列及其单位</translation>
        </message>
        <message>
            <source>Column</source>
            <translation>列</translation>
        </message>
        <message>
            <source>Test</source>
            <translation>项目</translation>
        </message>
        <message>
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <source>Save the columns as</source>
            <translation>列设置保存为</translation>
        </message>
        <message>
            <source>a name, e.g. the lab system's (optional)</source>
            <translation>名称，如检验系统的名称（可选）</translation>
        </message>
        <message>
            <source>&amp;Saved columns:</source>
            <translation>已保存的列设置(&amp;S)：</translation>
        </message>
        <message>
            <source>&amp;Layout:</source>
            <translation>表格格式(&amp;L)：</translation>
        </message>
        <message>
            <source>&amp;Date:</source>
            <translation>日期(&amp;D)：</translation>
        </message>
        <message>
            <source>Date &amp;written as:</source>
            <translation>日期写法(&amp;W)：</translation>
        </message>
        <message>
            <source>&amp;MRN:</source>
            <translation>病历号(&amp;M)：</translation>
        </message>
        <message>
            <source>&amp;Test:</source>
            <translation>项目(&amp;T)：</translation>
        </message>
        <message>
            <source>&amp;Value:</source>
            <translation>结果(&amp;V)：</translation>
        </message>
        <message>
            <source>&amp;Unit:</source>
            <translation>单位(&amp;U)：</translation>
        </message>
        <message>
            <source>&amp;Reference range:</source>
            <translation>参考范围(&amp;R)：</translation>
        </message>
        <message>
            <source>Save the columns &amp;as:</source>
            <translation>列设置保存为(&amp;A)：</translation>
        </message>
        <message>
            <source>First rows of the file</source>
            <translation>文件的前几行</translation>
        </message>
        <message>
            <source>The first rows of the file:</source>
            <translation>文件的前几行：</translation>
        </message>
        <message>
            <source>Test columns (a unit the header does not give is chosen here):</source>
            <translation>项目列（表头未给出的单位在此选择）：</translation>
        </message>
        <message>
            <source>No column is named as a test hemalog knows.</source>
            <translation>没有列的名称是 hemalog 认识的检验项目。</translation>
        </message>
        <message>
            <source>Unit of {column}</source>
            <translation>{column} 的单位</translation>
        </message>
        <message>
            <source>as the header says: {unit}</source>
            <translation>按表头：{unit}</translation>
        </message>
        <message>
            <source>(none given)</source>
            <translation>（未给出）</translation>
        </message>
        <message>
            <source>What each result becomes</source>
            <translation>每个结果的处理</translation>
        </message>
        <message>
            <source>Where in the file</source>
            <translation>文件中的位置</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Value saved</source>
            <translation>保存的数值</translation>
        </message>
        <message>
            <source>What happens</source>
            <translation>处理</translation>
        </message>
        <message>
            <source>Why, and notes</source>
            <translation>原因及说明</translation>
        </message>
        <message>
            <source>Show results</source>
            <translation>显示结果</translation>
        </message>
        <message>
            <source>Every result</source>
            <translation>全部结果</translation>
        </message>
        <message>
            <source>Refused</source>
            <translation>被拒绝的</translation>
        </message>
        <message>
            <source>To add</source>
            <translation>将添加的</translation>
        </message>
        <message>
            <source>Skipped</source>
            <translation>跳过的</translation>
        </message>
        <message>
            <source>Sho&amp;w:</source>
            <translation>显示(&amp;W)：</translation>
        </message>
        <message>
            <source>The columns could not be saved: {reason}</source>
            <translation>列设置未能保存：{reason}</translation>
        </message>
        <message>
            <source>added</source>
            <translation>添加</translation>
        </message>
        <message>
            <source>skipped</source>
            <translation>跳过</translation>
        </message>
        <message>
            <source>REFUSED</source>
            <translation>拒绝</translation>
        </message>
        <message>
            <source>{total} results for {mrn}: {add} to add, {skip} skipped (already there or empty), {refuse} refused.</source>
            <translation>{mrn} 共 {total} 个结果：将添加 {add} 个，跳过 {skip} 个（已有或为空），拒绝 {refuse} 个。</translation>
        </message>
        <message>
            <source>Columns not read: {columns}.</source>
            <translation>未读取的列：{columns}。</translation>
        </message>
        <message>
            <source>Nothing can be imported while any result is refused (all or nothing): correct the file or the columns, or add the code to the ward's lab code table, then preview again.</source>
            <translation>只要有结果被拒绝，就不会导入任何内容（要么全部导入，要么都不导入）：请更正文件或列设置，或将代码加入病区的检验代码表，然后重新预览。</translation>
        </message>
        <message>
            <source>Not imported. {reason}</source>
            <translation>未导入。{reason}</translation>
        </message>
    </context>
    <context>
        <name>LabsGrid</name>
        <message>
            <source>WBC</source>
            <translation>WBC</translation>
        </message>
        <message>
            <source>ANC</source>
            <translation>ANC</translation>
        </message>
        <message>
            <source>ALC</source>
            <translation>ALC</translation>
        </message>
        <message>
            <source>PLT</source>
            <translation>PLT</translation>
        </message>
        <message>
            <source>Hb</source>
            <translation>Hb</translation>
        </message>
        <message>
            <source>CRP</source>
            <translation>CRP</translation>
        </message>
        <message>
            <source>Ferritin</source>
            <translation>铁蛋白</translation>
        </message>
        <message>
            <source>IL-6</source>
            <translation>IL-6</translation>
        </message>
        <message>
            <source>Bilirubin</source>
            <translation>胆红素</translation>
        </message>
        <message>
            <source>Creatinine</source>
            <translation>肌酐</translation>
        </message>
        <message>
            <source>CAR-T</source>
            <translation>CAR-T</translation>
        </message>
        <message>
            <source>TCR</source>
            <translation>TCR</translation>
        </message>
        <message>
            <source>Shown in {shown}; graded in the stored unit, {unit}.</source>
            <translation>以 {shown} 显示；按存储单位 {unit} 分级。</translation>
        </message>
        <message>
            <source>not graded, no LLN</source>
            <translation>未分级，无正常值下限</translation>
        </message>
        <message>
            <source>CTCAE grade {grade}</source>
            <translation>CTCAE {grade}级</translation>
        </message>
        <message>
            <source>&lt;b&gt;CTCAE v5.0&lt;/b&gt; grade after each saved count: {chips} (darker is worse); G0 not below the lab's LLN; {ungraded} grade 0 or 1, the lab gave no LLN. Point at a value for why.</source>
            <translation>每个已保存数值后显示 &lt;b&gt;CTCAE v5.0&lt;/b&gt; 分级：{chips}（颜色越深越重）；G0 表示不低于检验科正常值下限；{ungraded} 表示0或1级（检验科未给出正常值下限）。鼠标指向数值可查看依据。</translation>
        </message>
        <message>
            <source>Type values in:</source>
            <translation>录入单位：</translation>
        </message>
        <message>
            <source>{test} unit</source>
            <translation>{test}单位</translation>
        </message>
        <message>
            <source>Labs grid</source>
            <translation>化验表</translation>
        </message>
        <message>
            <source>Labs problems</source>
            <translation>化验问题</translation>
        </message>
        <message>
            <source>Labs save status</source>
            <translation>化验保存状态</translation>
        </message>
        <message>
            <source>&amp;New row</source>
            <translation>新建行(&amp;N)</translation>
        </message>
        <message>
            <source>New lab row</source>
            <translation>新建化验行</translation>
        </message>
        <message>
            <source>Save &amp;changed rows</source>
            <translation>保存已修改的行(&amp;C)</translation>
        </message>
        <message>
            <source>Save changed lab rows</source>
            <translation>保存已修改的化验行</translation>
        </message>
        <message>
            <source>CTCAE grade legend</source>
            <translation>CTCAE分级图例</translation>
        </message>
        <message>
            <source>Tab moves across; Enter saves the row and offers the next day's. Paste rows from a spreadsheet: date, then values in column order.</source>
            <translation>Tab 横向移动；Enter 保存本行并新建次日的行。可从电子表格粘贴多行：先日期，再按列顺序填数值。</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Save the changed rows before switching units.</source>
            <translation>切换单位前请先保存已修改的行。</translation>
        </message>
        <message>
            <source>{status} Next: {date} (type another date over it, or Esc).</source>
            <translation>{status} 下一行：{date}（可直接改写日期，或按 Esc）。</translation>
        </message>
        <message>
            <source>{date} {test}: {problem}</source>
            <translation>{date} {test}：{problem}</translation>
        </message>
        <message>
            <source>{count} pasted row(s): check them, then Enter or Save changed rows.</source>
            <translation>已粘贴 {count} 行：核对后按 Enter 或“保存已修改的行”。</translation>
        </message>
        <message>
            <source>Not saved. {reason}</source>
            <translation>未保存。{reason}</translation>
        </message>
        <message>
            <source>Correct saved values</source>
            <translation>更正已保存的数值</translation>
        </message>
        <message>
            <source>Reason for the correction:</source>
            <translation>更正原因：</translation>
        </message>
        <message>
            <source>Not saved: a correction needs a reason.</source>
            <translation>未保存：更正需要填写原因。</translation>
        </message>
        <message>
            <source>Not saved: clearing a saved value voids it, and a void needs your signature.</source>
            <translation>未保存：清除已保存的数值即作废该数值，作废需要您的签名。</translation>
        </message>
        <message>
            <source>Saved the labs of {date}.</source>
            <translation>已保存 {date} 的化验。</translation>
        </message>
    </context>
    <context>
        <name>ListField</name>
        <message>
            <source>{field}: saved as</source>
            <translation>{field}：保存为</translation>
        </message>
        <message>
            <source>Saved as: {pairs}</source>
            <translation>保存为：{pairs}</translation>
        </message>
    </context>
    <context>
        <name>LockCover</name>
        <message>
            <source>Locked</source>
            <translation>已锁定</translation>
        </message>
        <message>
            <source>&lt;h2&gt;hemalog is locked&lt;/h2&gt;&lt;p&gt;The patient data is hidden until someone signs in.&lt;/p&gt;</source>
            <translation>&lt;h2&gt;hemalog 已锁定&lt;/h2&gt;&lt;p&gt;在有人登录之前，患者数据处于隐藏状态。&lt;/p&gt;</translation>
        </message>
    </context>
    <context>
        <name>LockDialog</name>
        <message>
            <source>for a while</source>
            <translation>一段时间</translation>
        </message>
        <message>
            <source>for 1 minute</source>
            <translation>1 分钟</translation>
        </message>
        <message>
            <source>for {minutes} minutes</source>
            <translation>{minutes} 分钟</translation>
        </message>
        <message>
            <source>&lt;b&gt;Locked: no input {idle}.&lt;/b&gt;&lt;p&gt;Everything typed is kept. Enter the password of {name} to go on, or sign in as someone else.&lt;/p&gt;</source>
            <translation>&lt;b&gt;已锁定：{idle}无操作。&lt;/b&gt;&lt;p&gt;已输入的内容全部保留。输入 {name} 的密码以继续，或以其他用户登录。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>hemalog is locked</source>
            <translation>hemalog 已锁定</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Database unreachable</source>
            <translation>无法连接数据库</translation>
        </message>
        <message>
            <source>Trend plots</source>
            <translation>趋势图</translation>
        </message>
        <message>
            <source>Trend plots appear when a patient is open.</source>
            <translation>打开患者后显示趋势图。</translation>
        </message>
        <message>
            <source>The database server cannot be reached. Nothing typed is lost; saving is refused until it is back. Reconnecting…</source>
            <translation>无法连接数据库服务器。已输入的内容不会丢失；在恢复连接之前无法保存。正在重新连接…</translation>
        </message>
        <message>
            <source>The database file cannot be reached. Nothing typed is lost; saving is refused until it is back. Trying again…</source>
            <translation>无法访问数据库文件。已输入的内容不会丢失；在恢复访问之前无法保存。正在重试…</translation>
        </message>
        <message>
            <source>Only an admin may manage users.</source>
            <translation>只有管理员可以管理用户。</translation>
        </message>
        <message>
            <source>Unsaved input</source>
            <translation>未保存的输入</translation>
        </message>
        <message>
            <source>These forms hold input that is not saved: {forms}.
Discard it?</source>
            <translation>以下表单有未保存的输入：{forms}。
是否放弃？</translation>
        </message>
        <message>
            <source>Import lab results</source>
            <translation>导入检验结果</translation>
        </message>
        <message>
            <source>Lab results (*.csv *.tsv *.txt *.xlsx *.hl7 *.oru *.msg);;All files (*)</source>
            <translation>检验结果 (*.csv *.tsv *.txt *.xlsx *.hl7 *.oru *.msg);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Open a patient first: lab results are imported into the open patient's record.</source>
            <translation>请先打开患者：检验结果将导入当前打开的患者记录。</translation>
        </message>
        <message>
            <source>Imported {count} lab results from {file}.</source>
            <translation>已从 {file} 导入 {count} 个检验结果。</translation>
        </message>
        <message>
            <source>Registry export: {rows} rows saved to {path}</source>
            <translation>登记处导出：{rows} 行已保存到 {path}</translation>
        </message>
        <message>
            <source>Summary saved to {path}</source>
            <translation>摘要已保存到 {path}</translation>
        </message>
        <message>
            <source>Language not saved</source>
            <translation>语言未保存</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>The window changes to {language} once the unsaved input is saved, or when you next sign in. Nothing typed is lost: {forms}.</source>
            <translation>未保存的输入保存后（或下次登录时），窗口将切换为{language}。已输入的内容不会丢失：{forms}。</translation>
        </message>
        <message>
            <source>Demo patient</source>
            <translation>演示患者</translation>
        </message>
    </context>
    <context>
        <name>MarrowForm</name>
        <message>
            <source>Marrow result</source>
            <translation>骨髓结果</translation>
        </message>
        <message>
            <source>MRD status</source>
            <translation>微小残留病（MRD）状态</translation>
        </message>
        <message>
            <source>% (0 = not detected)</source>
            <translation>%（0 = 未检出）</translation>
        </message>
        <message>
            <source>MRD method</source>
            <translation>MRD检测方法</translation>
        </message>
        <message>
            <source>flow cytometry</source>
            <translation>流式细胞术</translation>
        </message>
        <message>
            <source>Assay sensitivity</source>
            <translation>检测灵敏度</translation>
        </message>
        <message>
            <source>% (default 0.01)</source>
            <translation>%（默认 0.01）</translation>
        </message>
        <message>
            <source>Fibrosis</source>
            <translation>纤维化</translation>
        </message>
        <message>
            <source>e.g. MF-1</source>
            <translation>如 MF-1</translation>
        </message>
        <message>
            <source>MRD negative</source>
            <translation>MRD阴性</translation>
        </message>
        <message>
            <source>MRD positive</source>
            <translation>MRD阳性</translation>
        </message>
        <message>
            <source>MRD not evaluable</source>
            <translation>MRD无法评估</translation>
        </message>
    </context>
    <context>
        <name>MeasurementForm</name>
        <message>
            <source>Height and weight</source>
            <translation>身高和体重</translation>
        </message>
    </context>
    <context>
        <name>NumberField</name>
        <message>
            <source>not assessed</source>
            <translation>未评估</translation>
        </message>
    </context>
    <context>
        <name>Overview</name>
        <message>
            <source>Courses</source>
            <translation>疗程</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>事件</translation>
        </message>
        <message>
            <source>Toxicity</source>
            <translation>毒性</translation>
        </message>
        <message>
            <source>Marrow</source>
            <translation>骨髓</translation>
        </message>
        <message>
            <source>Labs</source>
            <translation>化验</translation>
        </message>
        <message>
            <source>Measurements</source>
            <translation>身高体重</translation>
        </message>
        <message>
            <source>Show kind</source>
            <translation>显示类别</translation>
        </message>
        <message>
            <source>Everything but daily labs</source>
            <translation>除日常化验外的全部</translation>
        </message>
        <message>
            <source>Everything</source>
            <translation>全部</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Day</source>
            <translation>天数</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>What</source>
            <translation>内容</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>详情</translation>
        </message>
        <message>
            <source>Timeline</source>
            <translation>病程时间线</translation>
        </message>
        <message>
            <source>&amp;Show:</source>
            <translation>显示(&amp;S)：</translation>
        </message>
    </context>
    <context>
        <name>PatientDialog</name>
        <message>
            <source>unknown</source>
            <translation>未知</translation>
        </message>
        <message>
            <source>female</source>
            <translation>女</translation>
        </message>
        <message>
            <source>male</source>
            <translation>男</translation>
        </message>
        <message>
            <source>other</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>New patient</source>
            <translation>新建患者</translation>
        </message>
        <message>
            <source>Patient details</source>
            <translation>患者信息</translation>
        </message>
        <message>
            <source>years</source>
            <translation>岁</translation>
        </message>
        <message>
            <source>if no birth date</source>
            <translation>无出生日期时填写</translation>
        </message>
        <message>
            <source>e.g. T-ALL/LBL</source>
            <translation>如 T-ALL/LBL</translation>
        </message>
        <message>
            <source>e.g. CD7+, CD4−, CD2 partial</source>
            <translation>如 CD7+, CD4−, CD2 partial</translation>
        </message>
        <message>
            <source>Reason for the correction</source>
            <translation>更正原因</translation>
        </message>
        <message>
            <source>e.g. name misspelt at admission</source>
            <translation>例如：入院时姓名录入错误</translation>
        </message>
        <message>
            <source>Problems</source>
            <translation>问题</translation>
        </message>
        <message>
            <source>{field}: {problem}</source>
            <translation>{field}：{problem}</translation>
        </message>
        <message>
            <source>{field}: a correction needs a reason</source>
            <translation>{field}：更正须填写原因</translation>
        </message>
        <message>
            <source>Not saved. {reason}</source>
            <translation>未保存。{reason}</translation>
        </message>
    </context>
    <context>
        <name>PatientHeader</name>
        <message>
            <source>{years} y</source>
            <translation>{years} 岁</translation>
        </message>
        <message>
            <source>{years} y at diagnosis</source>
            <translation>诊断时 {years} 岁</translation>
        </message>
        <message>
            <source>age unknown</source>
            <translation>年龄不详</translation>
        </message>
        <message>
            <source>male</source>
            <translation>男</translation>
        </message>
        <message>
            <source>female</source>
            <translation>女</translation>
        </message>
        <message>
            <source>other</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>不详</translation>
        </message>
        <message>
            <source>Patient header</source>
            <translation>患者信息栏</translation>
        </message>
        <message>
            <source>Patient name</source>
            <translation>患者姓名</translation>
        </message>
        <message>
            <source>Diagnosis</source>
            <translation>诊断</translation>
        </message>
        <message>
            <source>Day counters</source>
            <translation>天数计数</translation>
        </message>
        <message>
            <source>Maximum grades</source>
            <translation>最高分级</translation>
        </message>
        <message>
            <source>Per CAR-T episode (infusions less than 7 days apart are one; days from its first infusion): CRS counted to day +30 and ICANS to day +60, onset, worst grade, resolution and treatment given in that window.
Per transplant: engraftment, worst acute GVHD by and after day +100, worst chronic GVHD, latest chimerism.</source>
            <translation>每次 CAR-T 治疗（回输间隔不足7天视为一次；天数自首次回输起算）：CRS 统计至 +30天、ICANS 统计至 +60天，含起病、最高分级、缓解及该时段内给予的治疗。
每次移植：植入、+100天前后最重的急性 GVHD、最重的慢性 GVHD、最近一次嵌合率。</translation>
        </message>
        <message>
            <source>CAR-T and transplant roll-ups</source>
            <translation>CAR-T 与移植汇总</translation>
        </message>
        <message>
            <source>Day counters as of</source>
            <translation>天数计数截至</translation>
        </message>
        <message>
            <source>Days as of</source>
            <translation>天数截至</translation>
        </message>
        <message>
            <source>engraftment</source>
            <translation>植入</translation>
        </message>
        <message>
            <source>No patient open</source>
            <translation>未打开患者</translation>
        </message>
        <message>
            <source>MRN {mrn} · {sex} · {age}</source>
            <translation>病历号 {mrn} · {sex} · {age}</translation>
        </message>
        <message>
            <source>BSA {bsa} m²</source>
            <translation>BSA {bsa} m²</translation>
        </message>
        <message>
            <source>BSA: no height/weight</source>
            <translation>BSA：无身高/体重</translation>
        </message>
        <message>
            <source>No CAR-T infusion or transplant recorded</source>
            <translation>未记录 CAR-T 回输或移植</translation>
        </message>
        <message>
            <source>Neutrophils engrafted day +{day} ({date})</source>
            <translation>中性粒细胞植入 +{day}天（{date}）</translation>
        </message>
        <message>
            <source>Platelets engrafted day +{day} ({date})</source>
            <translation>血小板植入 +{day}天（{date}）</translation>
        </message>
        <message>
            <source>{kind} max {grade} ({date})</source>
            <translation>{kind} 最高 {grade}（{date}）</translation>
        </message>
    </context>
    <context>
        <name>PatientList</name>
        <message>
            <source>Find patient: MRN or name ({key})</source>
            <translation>查找患者：病历号、姓名或拼音（{key}）</translation>
        </message>
        <message>
            <source>Find patient</source>
            <translation>查找患者</translation>
        </message>
        <message>
            <source>MRN</source>
            <translation>病历号</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Diagnosis</source>
            <translation>诊断</translation>
        </message>
        <message>
            <source>Patients</source>
            <translation>患者</translation>
        </message>
        <message>
            <source>New patient</source>
            <translation>新建患者</translation>
        </message>
    </context>
    <context>
        <name>PatientWorkspace</name>
        <message>
            <source>chemotherapy</source>
            <translation>化疗</translation>
        </message>
        <message>
            <source>lymphodepletion</source>
            <translation>清淋预处理</translation>
        </message>
        <message>
            <source>conditioning</source>
            <translation>预处理</translation>
        </message>
        <message>
            <source>gvhd prophylaxis</source>
            <translation>GVHD预防</translation>
        </message>
        <message>
            <source>cellular therapy</source>
            <translation>细胞治疗</translation>
        </message>
        <message>
            <source>targeted</source>
            <translation>靶向治疗</translation>
        </message>
        <message>
            <source>supportive</source>
            <translation>支持治疗</translation>
        </message>
        <message>
            <source>other</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>product</source>
            <translation>产品</translation>
        </message>
        <message>
            <source>cells per kg</source>
            <translation>每千克细胞数</translation>
        </message>
        <message>
            <source>donor</source>
            <translation>供者</translation>
        </message>
        <message>
            <source>donor relation</source>
            <translation>供者关系</translation>
        </message>
        <message>
            <source>hla match</source>
            <translation>HLA 配型</translation>
        </message>
        <message>
            <source>graft</source>
            <translation>移植物</translation>
        </message>
        <message>
            <source>conditioning intensity</source>
            <translation>预处理强度</translation>
        </message>
        <message>
            <source>deauville</source>
            <translation>Deauville 评分</translation>
        </message>
        <message>
            <source>response</source>
            <translation>疗效</translation>
        </message>
        <message>
            <source>organism</source>
            <translation>病原体</translation>
        </message>
        <message>
            <source>site</source>
            <translation>部位</translation>
        </message>
        <message>
            <source>lineage</source>
            <translation>细胞系</translation>
        </message>
        <message>
            <source>platelets</source>
            <translation>血小板</translation>
        </message>
        <message>
            <source>red cells</source>
            <translation>红细胞</translation>
        </message>
        <message>
            <source>plasma</source>
            <translation>血浆</translation>
        </message>
        <message>
            <source>granulocytes</source>
            <translation>粒细胞</translation>
        </message>
        <message>
            <source>haploidentical</source>
            <translation>单倍体相合</translation>
        </message>
        <message>
            <source>matched sibling</source>
            <translation>同胞全相合</translation>
        </message>
        <message>
            <source>matched unrelated</source>
            <translation>非血缘相合</translation>
        </message>
        <message>
            <source>cord blood</source>
            <translation>脐血</translation>
        </message>
        <message>
            <source>neutrophil</source>
            <translation>中性粒细胞</translation>
        </message>
        <message>
            <source>platelet</source>
            <translation>血小板</translation>
        </message>
        <message>
            <source>Patient sections</source>
            <translation>患者分区</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>开始</translation>
        </message>
        <message>
            <source>Course</source>
            <translation>疗程</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>Drugs</source>
            <translation>药物</translation>
        </message>
        <message>
            <source>Warnings</source>
            <translation>警告</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Blasts</source>
            <translation>原始细胞</translation>
        </message>
        <message>
            <source>MRD</source>
            <translation>MRD</translation>
        </message>
        <message>
            <source>MRD status</source>
            <translation>微小残留病（MRD）状态</translation>
        </message>
        <message>
            <source>Donor chimerism</source>
            <translation>供者嵌合率</translation>
        </message>
        <message>
            <source>Chimerism</source>
            <translation>嵌合状态</translation>
        </message>
        <message>
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>事件</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>详情</translation>
        </message>
        <message>
            <source>Height</source>
            <translation>身高</translation>
        </message>
        <message>
            <source>Weight</source>
            <translation>体重</translation>
        </message>
        <message>
            <source>BSA from here</source>
            <translation>自此起的 BSA</translation>
        </message>
        <message>
            <source>{key} ({key} again: the next form); {previous} and {next} step through</source>
            <translation>{key}（再按 {key}：下一个表单）；{previous} 和 {next} 逐个切换</translation>
        </message>
        <message>
            <source>{key}; {previous} and {next} step through</source>
            <translation>{key}；{previous} 和 {next} 逐个切换</translation>
        </message>
        <message>
            <source>negative</source>
            <translation>阴性</translation>
        </message>
        <message>
            <source>positive</source>
            <translation>阳性</translation>
        </message>
        <message>
            <source>not evaluable</source>
            <translation>不可评估</translation>
        </message>
        <message>
            <source>{category} (boundary)</source>
            <translation>{category}（临界）</translation>
        </message>
        <message>
            <source>Labs</source>
            <translation>化验</translation>
        </message>
    </context>
    <context>
        <name>Permissions</name>
        <message>
            <source>void</source>
            <translation>作废</translation>
        </message>
        <message>
            <source>correct</source>
            <translation>更正</translation>
        </message>
        <message>
            <source>manage</source>
            <translation>管理</translation>
        </message>
        <message>
            <source>assessment</source>
            <translation>评估</translation>
        </message>
        <message>
            <source>course</source>
            <translation>疗程</translation>
        </message>
        <message>
            <source>marrow result</source>
            <translation>骨髓结果</translation>
        </message>
        <message>
            <source>event</source>
            <translation>事件</translation>
        </message>
        <message>
            <source>measurement</source>
            <translation>身高体重记录</translation>
        </message>
        <message>
            <source>lab result</source>
            <translation>化验结果</translation>
        </message>
        <message>
            <source>or</source>
            <translation>或</translation>
        </message>
        <message>
            <source>another role</source>
            <translation>其他角色</translation>
        </message>
        <message>
            <source>Only {who} may {action} {what}.</source>
            <translation>只有{who}可以{action}{what}。</translation>
        </message>
    </context>
    <context>
        <name>Plots</name>
        <message>
            <source>--anchor {anchor}: this patient has no CAR-T infusion</source>
            <translation>--anchor {anchor}：该患者没有CAR-T细胞回输记录</translation>
        </message>
        <message>
            <source>--anchor {anchor}: this patient has no HSCT</source>
            <translation>--anchor {anchor}：该患者没有造血干细胞移植记录</translation>
        </message>
        <message>
            <source>{file}: cannot draw the image</source>
            <translation>{file}：无法绘制图像</translation>
        </message>
    </context>
    <context>
        <name>PlotsPanel</name>
        <message>
            <source>Dates</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Days from CAR-T</source>
            <translation>CAR-T后天数</translation>
        </message>
        <message>
            <source>Days from HSCT</source>
            <translation>移植后天数</translation>
        </message>
        <message>
            <source>All</source>
            <translation>全部</translation>
        </message>
        <message>
            <source>Last 30 days</source>
            <translation>最近30天</translation>
        </message>
        <message>
            <source>Last 90 days</source>
            <translation>最近90天</translation>
        </message>
        <message>
            <source>Around CAR-T</source>
            <translation>CAR-T前后</translation>
        </message>
        <message>
            <source>Around HSCT</source>
            <translation>移植前后</translation>
        </message>
        <message>
            <source>X axis</source>
            <translation>横轴</translation>
        </message>
        <message>
            <source>Range</source>
            <translation>范围</translation>
        </message>
        <message>
            <source>Reset view</source>
            <translation>重置视图</translation>
        </message>
        <message>
            <source>Reset plot view</source>
            <translation>重置趋势图视图</translation>
        </message>
        <message>
            <source>Save PNG…</source>
            <translation>保存PNG…</translation>
        </message>
        <message>
            <source>Save plots as PNG</source>
            <translation>将趋势图保存为PNG</translation>
        </message>
        <message>
            <source>Hover over a point to read it.</source>
            <translation>将鼠标移到数据点上可查看数值。</translation>
        </message>
        <message>
            <source>Plot value under the mouse</source>
            <translation>鼠标所指数值</translation>
        </message>
        <message>
            <source>X:</source>
            <translation>横轴：</translation>
        </message>
        <message>
            <source>Show:</source>
            <translation>显示：</translation>
        </message>
        <message>
            <source>No CAR-T recorded for this patient.</source>
            <translation>该患者没有CAR-T记录。</translation>
        </message>
        <message>
            <source>No HSCT recorded for this patient.</source>
            <translation>该患者没有造血干细胞移植记录。</translation>
        </message>
        <message>
            <source>Save plots</source>
            <translation>保存趋势图</translation>
        </message>
        <message>
            <source>PNG image (*.png)</source>
            <translation>PNG图像 (*.png)</translation>
        </message>
        <message>
            <source>Not saved</source>
            <translation>未保存</translation>
        </message>
        <message>
            <source>Could not write {path}</source>
            <translation>无法写入 {path}</translation>
        </message>
    </context>
    <context>
        <name>PreferencesDialog</name>
        <message>
            <source>Preferences</source>
            <translation>首选项</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>Remembered for {name}: it applies at every sign-in, on any workstation.</source>
            <translation>为 {name} 记住：每次登录、在任何工作站上都适用。</translation>
        </message>
        <message>
            <source>No one is signed in: the choice lasts until hemalog is closed.</source>
            <translation>当前无人登录：此选择在关闭 hemalog 前有效。</translation>
        </message>
    </context>
    <context>
        <name>Printing</name>
        <message>
            <source>Cannot print</source>
            <translation>无法打印</translation>
        </message>
        <message>
            <source>Print preview — patient summary</source>
            <translation>打印预览 — 患者摘要</translation>
        </message>
        <message>
            <source>Save summary as PDF</source>
            <translation>将摘要另存为 PDF</translation>
        </message>
        <message>
            <source>PDF document (*.pdf)</source>
            <translation>PDF 文档 (*.pdf)</translation>
        </message>
        <message>
            <source>Not saved</source>
            <translation>未保存</translation>
        </message>
    </context>
    <context>
        <name>RegistryDialog</name>
        <message>
            <source>Registry export</source>
            <translation>登记处导出</translation>
        </message>
        <message>
            <source>One row per CAR-T infusion and per HSCT of every patient, for registry reporting (the columns are listed in the README). Leave the dates empty for all of them.</source>
            <translation>每位患者的每次CAR-T细胞回输和每次造血干细胞移植各一行，用于向登记处报告（各列见 README）。日期留空则导出全部。</translation>
        </message>
        <message>
            <source>&amp;From</source>
            <translation>起始日期(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;To</source>
            <translation>截止日期(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Save as…</source>
            <translation>另存为(&amp;S)…</translation>
        </message>
        <message>
            <source>Save the registry export</source>
            <translation>保存登记处导出</translation>
        </message>
        <message>
            <source>CSV file (*.csv)</source>
            <translation>CSV 文件 (*.csv)</translation>
        </message>
        <message>
            <source>Not saved. {reason}</source>
            <translation>未保存。{reason}</translation>
        </message>
        <message>
            <source>Not saved. The From date is after the To date.</source>
            <translation>未保存。起始日期晚于截止日期。</translation>
        </message>
    </context>
    <context>
        <name>Report</name>
        <message>
            <source>first CAR-T infusion</source>
            <translation>首次CAR-T细胞回输</translation>
        </message>
        <message>
            <source>diagnosis</source>
            <translation>诊断</translation>
        </message>
        <message>
            <source>day ?</source>
            <translation>?天</translation>
        </message>
        <message>
            <source>day {first} to {last}</source>
            <translation>{first}至{last}天</translation>
        </message>
        <message>
            <source>{first} to {last}</source>
            <translation>{first} 至 {last}</translation>
        </message>
        <message>
            <source>no reference date recorded</source>
            <translation>未记录参考日期</translation>
        </message>
        <message>
            <source>day 0 = {reference}</source>
            <translation>第0天 = {reference}</translation>
        </message>
        <message>
            <source>[removed]</source>
            <translation>[已删除]</translation>
        </message>
        <message>
            <source>[date]</source>
            <translation>[日期]</translation>
        </message>
        <message>
            <source>[{count} more characters in the record]</source>
            <translation>[病历中还有 {count} 个字符]</translation>
        </message>
        <message>
            <source>{anchor} {date} — {day} on {today}</source>
            <translation>{anchor} {date} — 截至 {today} 为 {day}</translation>
        </message>
        <message>
            <source>{age} y</source>
            <translation>{age}岁</translation>
        </message>
        <message>
            <source>age unknown</source>
            <translation>年龄不详</translation>
        </message>
        <message>
            <source>90+ y at diagnosis</source>
            <translation>确诊时90岁以上</translation>
        </message>
        <message>
            <source>{age} y at diagnosis</source>
            <translation>确诊时{age}岁</translation>
        </message>
        <message>
            <source>{marker} partial</source>
            <translation>{marker}部分阳性</translation>
        </message>
        <message>
            <source>{marker} weak</source>
            <translation>{marker}弱阳性</translation>
        </message>
        <message>
            <source>not computed: no height or weight recorded</source>
            <translation>未计算：未记录身高和体重</translation>
        </message>
        <message>
            <source>not computed: no height recorded</source>
            <translation>未计算：未记录身高</translation>
        </message>
        <message>
            <source>not computed: no weight recorded</source>
            <translation>未计算：未记录体重</translation>
        </message>
        <message>
            <source>{body} on {date}</source>
            <translation>{body}，{date}测量</translation>
        </message>
        <message>
            <source>{sex}, {age}</source>
            <translation>{sex}，{age}</translation>
        </message>
        <message>
            <source>Sex, age</source>
            <translation>性别、年龄</translation>
        </message>
        <message>
            <source>MRN</source>
            <translation>病历号</translation>
        </message>
        <message>
            <source> — diagnosed {date}</source>
            <translation> — {date}确诊</translation>
        </message>
        <message>
            <source>Diagnosis</source>
            <translation>诊断</translation>
        </message>
        <message>
            <source>BSA</source>
            <translation>体表面积</translation>
        </message>
        <message>
            <source>Anchors</source>
            <translation>关键节点</translation>
        </message>
        <message>
            <source>no CAR-T infusion or HSCT recorded</source>
            <translation>未记录CAR-T细胞回输或造血干细胞移植</translation>
        </message>
        <message>
            <source>(continued under Patient notes)</source>
            <translation>（续见“患者备注”）</translation>
        </message>
        <message>
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <source>Max CRS</source>
            <translation>CRS最高分级</translation>
        </message>
        <message>
            <source>Max ICANS</source>
            <translation>ICANS最高分级</translation>
        </message>
        <message>
            <source>Max acute GVHD</source>
            <translation>急性GVHD最高分级</translation>
        </message>
        <message>
            <source>Max chronic GVHD</source>
            <translation>慢性GVHD最重程度</translation>
        </message>
        <message>
            <source>not assessed</source>
            <translation>未评估</translation>
        </message>
        <message>
            <source>not reached</source>
            <translation>未达到</translation>
        </message>
        <message>
            <source>not recorded</source>
            <translation>未记录</translation>
        </message>
        <message>
            <source>not detected</source>
            <translation>未检出</translation>
        </message>
        <message>
            <source> by {method}</source>
            <translation>（{method}）</translation>
        </message>
        <message>
            <source>{pct} % donor</source>
            <translation>供者 {pct} %</translation>
        </message>
        <message>
            <source>no Deauville score</source>
            <translation>无Deauville评分</translation>
        </message>
        <message>
            <source>last follow-up {when}</source>
            <translation>末次随访 {when}</translation>
        </message>
        <message>
            <source>no follow-up recorded</source>
            <translation>未记录随访</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>转归</translation>
        </message>
        <message>
            <source>Neutrophil engraftment</source>
            <translation>中性粒细胞植入</translation>
        </message>
        <message>
            <source>Platelet engraftment</source>
            <translation>血小板植入</translation>
        </message>
        <message>
            <source>Latest MRD</source>
            <translation>最近一次微小残留病（MRD）</translation>
        </message>
        <message>
            <source>Latest chimerism</source>
            <translation>最近一次供者嵌合率</translation>
        </message>
        <message>
            <source>Latest PET-CT</source>
            <translation>最近一次PET-CT</translation>
        </message>
        <message>
            <source>Key facts</source>
            <translation>关键信息</translation>
        </message>
        <message>
            <source>CAR-T and transplant</source>
            <translation>CAR-T与造血干细胞移植</translation>
        </message>
        <message>
            <source>{name} · de-identified copy</source>
            <translation>{name} · 去标识化副本</translation>
        </message>
        <message>
            <source>{name} · MRN {mrn}</source>
            <translation>{name} · 病历号 {mrn}</translation>
        </message>
        <message>
            <source>hemalog patient summary</source>
            <translation>hemalog 患者病情摘要</translation>
        </message>
        <message>
            <source>Page {page} of {total}</source>
            <translation>第 {page} 页，共 {total} 页</translation>
        </message>
        <message>
            <source>Printed {when} by {who} · database: </source>
            <translation>{who} 于 {when} 打印 · 数据库：</translation>
        </message>
        <message>
            <source>hemalog {version} · clinical rules {rules}</source>
            <translation>hemalog {version} · 临床规则 {rules}</translation>
        </message>
        <message>
            <source>De-identified copy for teaching and case reports: initials instead of the name, no MRN, every date shown as a day number ({reference}); free-text notes are left out because they may name people or dates.</source>
            <translation>用于教学和病例报告的去标识化副本：以姓氏加“某”或首字母代替姓名，不含病历号，所有日期均以天数表示（{reference}）；自由文本备注可能含有人名或日期，因此未打印。</translation>
        </message>
        <message>
            <source>Treatment timeline</source>
            <translation>病程时间线</translation>
        </message>
        <message>
            <source>Each course is a bar from its first to its last dose, in date order, with the bone marrow MRD that followed it (the first marrow after the course began and before the next began): ◆ MRD positive (≥ 0.01 %), ◇ MRD negative. Vertical lines: CAR-T infusion (thin) and HSCT (thick). Bar colours: </source>
            <translation>每个疗程按日期顺序画为一条横条，从首剂到末剂，后接其后的骨髓MRD结果（该疗程开始后、下一疗程开始前的首次骨髓检查）：◆ MRD阳性（≥ 0.01 %），◇ MRD阴性。竖线：CAR-T细胞回输（细）和造血干细胞移植（粗）。横条颜色：</translation>
        </message>
        <message>
            <source> Not drawn (no dates recorded): {courses}.</source>
            <translation> 未绘出（未记录日期）：{courses}。</translation>
        </message>
        <message>
            <source> Axis: days ({reference}).</source>
            <translation> 横轴：天数（{reference}）。</translation>
        </message>
        <message>
            <source>The panels of the app's trend view, each over its own dates. Shaded: treatment courses. Vertical lines: CAR-T, HSCT, PET-CT (dotted) and engraftment (dash-dot), labelled above each panel. Dashed horizontal lines: thresholds. Series differ by line style and symbol as well as colour.</source>
            <translation>与软件趋势图相同的各个面板，各自按其数据的日期范围绘制。阴影：治疗疗程。竖线：CAR-T、造血干细胞移植（HSCT）、PET-CT（点线）和植入（点划线），标注于各面板上方。水平虚线：阈值。各数据系列除颜色外，还以线型和符号区分。</translation>
        </message>
        <message>
            <source> Axes in days ({reference}).</source>
            <translation> 横轴为天数（{reference}）。</translation>
        </message>
        <message>
            <source>Trends</source>
            <translation>趋势图</translation>
        </message>
        <message>
            <source>Courses and doses</source>
            <translation>疗程与剂量</translation>
        </message>
        <message>
            <source>Amounts computed from the BSA or weight on or before each course's first dose. hemalog never changes an order: a warning is for the prescriber to check.</source>
            <translation>剂量按各疗程首剂当日或之前最近一次的体表面积或体重计算。hemalog 从不修改医嘱：警示仅供开具医嘱的医师核查。</translation>
        </message>
        <message>
            <source>Toxicity assessments</source>
            <translation>毒性评估</translation>
        </message>
        <message>
            <source>Bone marrow</source>
            <translation>骨髓</translation>
        </message>
        <message>
            <source>MRD negative means below 0.01 % (10⁻⁴); chimerism categories by ASTCT 2021 (full donor &gt; 95 %).</source>
            <translation>MRD阴性指低于 0.01 %（10⁻⁴）；供者嵌合分类依据 ASTCT 2021（完全供者嵌合 &gt; 95 %）。</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>事件</translation>
        </message>
        <message>
            <source>Patient notes</source>
            <translation>患者备注</translation>
        </message>
        <message>
            <source>cannot print the summary in Chinese: no font for Chinese text was found on this computer; set HEMALOG_CJK_FONT to a TrueType font file (.ttf or .ttc) with Chinese characters, e.g. WenQuanYi Micro Hei</source>
            <translation>无法打印中文摘要：本机未找到中文字体；请将环境变量 HEMALOG_CJK_FONT 设为含中文字符的 TrueType 字体文件（.ttf 或 .ttc），例如文泉驿微米黑（WenQuanYi Micro Hei）</translation>
        </message>
        <message>
            <source>Patient summary</source>
            <translation>患者病情摘要</translation>
        </message>
        <message>
            <source>hemalog patient summary (de-identified)</source>
            <translation>hemalog 患者病情摘要（去标识化）</translation>
        </message>
        <message>
            <source>cells</source>
            <translation>细胞</translation>
        </message>
        <message>
            <source> to </source>
            <translation>至</translation>
        </message>
        <message>
            <source>{n}× a day</source>
            <translation>每日{n}次</translation>
        </message>
        <message>
            <source>not computed</source>
            <translation>未计算</translation>
        </message>
        <message>
            <source>Drug</source>
            <translation>药物</translation>
        </message>
        <message>
            <source>Dose as ordered</source>
            <translation>医嘱剂量</translation>
        </message>
        <message>
            <source>Computed amount</source>
            <translation>计算剂量</translation>
        </message>
        <message>
            <source>Days</source>
            <translation>给药日</translation>
        </message>
        <message>
            <source>Dates</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Warnings</source>
            <translation>警示</translation>
        </message>
        <message>
            <source>no dates</source>
            <translation>无日期</translation>
        </message>
        <message>
            <source> · followed by {mrd} ({date})</source>
            <translation> · 其后 {mrd}（{date}）</translation>
        </message>
        <message>
            <source>Doses from {body}</source>
            <translation>剂量依据：{body}</translation>
        </message>
        <message>
            <source>CRS</source>
            <translation>细胞因子释放综合征（CRS）</translation>
        </message>
        <message>
            <source>ICANS</source>
            <translation>免疫效应细胞相关神经毒性综合征（ICANS）</translation>
        </message>
        <message>
            <source>Acute GVHD</source>
            <translation>急性移植物抗宿主病（aGVHD）</translation>
        </message>
        <message>
            <source>Chronic GVHD</source>
            <translation>慢性移植物抗宿主病（cGVHD）</translation>
        </message>
        <message>
            <source>cannot be derived</source>
            <translation>无法判定</translation>
        </message>
        <message>
            <source>grade {grade}</source>
            <translation>{grade}级</translation>
        </message>
        <message>
            <source>not evaluable</source>
            <translation>无法评价</translation>
        </message>
        <message>
            <source>negative</source>
            <translation>阴性</translation>
        </message>
        <message>
            <source>positive</source>
            <translation>阳性</translation>
        </message>
        <message>
            <source>Day</source>
            <translation>天数</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Assessment</source>
            <translation>评估</translation>
        </message>
        <message>
            <source>Grade</source>
            <translation>分级</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>依据</translation>
        </message>
        <message>
            <source>Flags</source>
            <translation>提示</translation>
        </message>
        <message>
            <source>Blasts</source>
            <translation>原始细胞</translation>
        </message>
        <message>
            <source>MRD negativity (10⁻⁴)</source>
            <translation>MRD阴性判定（10⁻⁴）</translation>
        </message>
        <message>
            <source>Donor chimerism</source>
            <translation>供者嵌合率</translation>
        </message>
        <message>
            <source>CAR-T infusion</source>
            <translation>CAR-T细胞回输</translation>
        </message>
        <message>
            <source>Stem cell transplant</source>
            <translation>造血干细胞移植</translation>
        </message>
        <message>
            <source>Transfusion</source>
            <translation>输血</translation>
        </message>
        <message>
            <source>Infection</source>
            <translation>感染</translation>
        </message>
        <message>
            <source>Engraftment confirmed</source>
            <translation>确认植入</translation>
        </message>
        <message>
            <source>Relapse</source>
            <translation>复发</translation>
        </message>
        <message>
            <source>Death</source>
            <translation>死亡</translation>
        </message>
        <message>
            <source>Last follow-up</source>
            <translation>末次随访</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>事件</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>详情</translation>
        </message>
        <message>
            <source>MRD not detected</source>
            <translation>MRD未检出</translation>
        </message>
        <message>
            <source>MRD {pct} % (neg)</source>
            <translation>MRD {pct} %（阴性）</translation>
        </message>
        <message>
            <source>Diagnosis: {diagnosis}</source>
            <translation>诊断：{diagnosis}</translation>
        </message>
        <message>
            <source>{series} not detected</source>
            <translation>{series}未检出</translation>
        </message>
        <message>
            <source>Toxicity grades and transfusions</source>
            <translation>毒性分级与输血</translation>
        </message>
        <message>
            <source>male</source>
            <translation>男</translation>
        </message>
        <message>
            <source>female</source>
            <translation>女</translation>
        </message>
        <message>
            <source>other</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>不详</translation>
        </message>
        <message>
            <source>chemotherapy</source>
            <translation>化疗</translation>
        </message>
        <message>
            <source>lymphodepletion</source>
            <translation>清淋预处理</translation>
        </message>
        <message>
            <source>conditioning</source>
            <translation>预处理方案</translation>
        </message>
        <message>
            <source>GVHD prophylaxis</source>
            <translation>GVHD预防</translation>
        </message>
        <message>
            <source>cellular therapy</source>
            <translation>细胞治疗</translation>
        </message>
        <message>
            <source>targeted</source>
            <translation>靶向治疗</translation>
        </message>
        <message>
            <source>supportive</source>
            <translation>支持治疗</translation>
        </message>
        <message>
            <source>full donor</source>
            <translation>完全供者嵌合</translation>
        </message>
        <message>
            <source>mixed</source>
            <translation>混合嵌合</translation>
        </message>
        <message>
            <source>autologous reconstitution</source>
            <translation>自体造血重建</translation>
        </message>
        <message>
            <source>MRD CR</source>
            <translation>MRD完全缓解</translation>
        </message>
        <message>
            <source>MRD intermediate</source>
            <translation>MRD中间反应</translation>
        </message>
        <message>
            <source>MRD failure</source>
            <translation>MRD失败</translation>
        </message>
        <message>
            <source>flow</source>
            <translation>流式细胞术</translation>
        </message>
        <message>
            <source>pcr</source>
            <translation>PCR</translation>
        </message>
        <message>
            <source>ngs</source>
            <translation>NGS</translation>
        </message>
        <message>
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <source>mild</source>
            <translation>轻度</translation>
        </message>
        <message>
            <source>moderate</source>
            <translation>中度</translation>
        </message>
        <message>
            <source>severe</source>
            <translation>重度</translation>
        </message>
        <message>
            <source>product</source>
            <translation>制品</translation>
        </message>
        <message>
            <source>cells per kg</source>
            <translation>细胞数/kg</translation>
        </message>
        <message>
            <source>donor</source>
            <translation>供者</translation>
        </message>
        <message>
            <source>donor relation</source>
            <translation>供者关系</translation>
        </message>
        <message>
            <source>hla match</source>
            <translation>HLA配型</translation>
        </message>
        <message>
            <source>graft</source>
            <translation>移植类型</translation>
        </message>
        <message>
            <source>conditioning intensity</source>
            <translation>预处理强度</translation>
        </message>
        <message>
            <source>deauville</source>
            <translation>Deauville评分</translation>
        </message>
        <message>
            <source>response</source>
            <translation>疗效</translation>
        </message>
        <message>
            <source>organism</source>
            <translation>病原体</translation>
        </message>
        <message>
            <source>site</source>
            <translation>部位</translation>
        </message>
        <message>
            <source>lineage</source>
            <translation>系别</translation>
        </message>
        <message>
            <source>autologous</source>
            <translation>自体</translation>
        </message>
        <message>
            <source>haploidentical</source>
            <translation>单倍体相合</translation>
        </message>
        <message>
            <source>matched sibling</source>
            <translation>同胞全相合</translation>
        </message>
        <message>
            <source>matched unrelated</source>
            <translation>无关供者相合</translation>
        </message>
        <message>
            <source>cord</source>
            <translation>脐带血</translation>
        </message>
        <message>
            <source>platelets</source>
            <translation>血小板</translation>
        </message>
        <message>
            <source>red cells</source>
            <translation>红细胞</translation>
        </message>
        <message>
            <source>plasma</source>
            <translation>血浆</translation>
        </message>
        <message>
            <source>granulocytes</source>
            <translation>粒细胞</translation>
        </message>
        <message>
            <source>neutrophil</source>
            <translation>中性粒细胞</translation>
        </message>
        <message>
            <source>platelet</source>
            <translation>血小板</translation>
        </message>
        <message>
            <source>baseline</source>
            <translation>基线</translation>
        </message>
        <message>
            <source>complete metabolic response</source>
            <translation>完全代谢缓解</translation>
        </message>
        <message>
            <source>partial metabolic response</source>
            <translation>部分代谢缓解</translation>
        </message>
        <message>
            <source>no metabolic response</source>
            <translation>无代谢反应</translation>
        </message>
        <message>
            <source>progressive metabolic disease</source>
            <translation>代谢进展</translation>
        </message>
        <message>
            <source>infection</source>
            <translation>感染</translation>
        </message>
        <message>
            <source>relapse</source>
            <translation>复发</translation>
        </message>
        <message>
            <source>death</source>
            <translation>死亡</translation>
        </message>
        <message>
            <source>transfusion</source>
            <translation>输血</translation>
        </message>
    </context>
    <context>
        <name>Role</name>
        <message>
            <source>nurse</source>
            <translation>护士</translation>
        </message>
        <message>
            <source>physician</source>
            <translation>医师</translation>
        </message>
        <message>
            <source>admin</source>
            <translation>管理员</translation>
        </message>
    </context>
    <context>
        <name>SessionStatus</name>
        <message>
            <source>never</source>
            <translation>从未</translation>
        </message>
        <message>
            <source>Session</source>
            <translation>会话</translation>
        </message>
        <message>
            <source>Database: {path}  ·  User: {user}</source>
            <translation>数据库：{path}  ·  用户：{user}</translation>
        </message>
        <message>
            <source>A server's backups are made on the server (pg_dump) and with hemalog backup</source>
            <translation>服务器的备份在服务器上完成（pg_dump），也可用 hemalog backup 生成</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>未知</translation>
        </message>
        <message>
            <source>Database: {path}  ·  User: {user}  ·  Last backup: {backup}</source>
            <translation>数据库：{path}  ·  用户：{user}  ·  上次备份：{backup}</translation>
        </message>
        <message>
            <source>Automatic daily backups are kept in {folder}</source>
            <translation>每日自动备份保存在 {folder}</translation>
        </message>
    </context>
    <context>
        <name>SignInDialog</name>
        <message>
            <source>Sign in with your hemalog account.</source>
            <translation>请使用您的 hemalog 账户登录。</translation>
        </message>
        <message>
            <source>Sign in to hemalog</source>
            <translation>登录 hemalog</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>Sign-in problem</source>
            <translation>登录问题</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>Not signed in: {reason}. Press {key} to try again.</source>
            <translation>未登录：{reason}。按 {key} 重试。</translation>
        </message>
    </context>
    <context>
        <name>SignatureDialog</name>
        <message>
            <source>{s} s</source>
            <translation>{s} 秒</translation>
        </message>
        <message>
            <source>{min} min</source>
            <translation>{min} 分钟</translation>
        </message>
        <message>
            <source>{min} min {s} s</source>
            <translation>{min} 分 {s} 秒</translation>
        </message>
        <message>
            <source>Sign: {meaning}</source>
            <translation>签名：{meaning}</translation>
        </message>
        <message>
            <source>&lt;b&gt;Sign: {meaning}&lt;/b&gt;&lt;p&gt;This changes what the record says. Your password again is your signature: who signed, when and why stay in the audit trail.&lt;/p&gt;</source>
            <translation>&lt;b&gt;签名：{meaning}&lt;/b&gt;&lt;p&gt;此操作会改变病历的内容。再次输入您的密码即为签名：签名人、时间和原因将保留在审计追踪中。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Signer</source>
            <translation>签名人</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>Signature problem</source>
            <translation>签名问题</translation>
        </message>
        <message>
            <source>Too many wrong passwords for {name}: try again in {wait}. Nothing was changed.</source>
            <translation>{name} 的密码错误次数过多：请在 {wait} 后重试。未做任何更改。</translation>
        </message>
        <message>
            <source>Not signed: {why}</source>
            <translation>未签名：{why}</translation>
        </message>
        <message>
            <source>The password is wrong: nothing was changed. Type it again, or Cancel.</source>
            <translation>密码错误：未做任何更改。请重新输入，或点击取消。</translation>
        </message>
    </context>
    <context>
        <name>ToxicitySection</name>
        <message>
            <source>CRS</source>
            <translation>CRS</translation>
        </message>
        <message>
            <source>ICANS</source>
            <translation>ICANS</translation>
        </message>
        <message>
            <source>Acute GVHD</source>
            <translation>急性GVHD</translation>
        </message>
        <message>
            <source>Chronic GVHD</source>
            <translation>慢性GVHD</translation>
        </message>
        <message>
            <source>Toxicity forms</source>
            <translation>毒性评估表单</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Grade</source>
            <translation>分级</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>依据</translation>
        </message>
        <message>
            <source>Flags</source>
            <translation>提示</translation>
        </message>
        <message>
            <source>assessment</source>
            <translation>评估</translation>
        </message>
        <message>
            <source>Maximum grade per kind</source>
            <translation>各类最高分级</translation>
        </message>
        <message>
            <source>Record CRS or ICANS treatment</source>
            <translation>记录CRS或ICANS治疗</translation>
        </message>
        <message>
            <source>Record the treatment given for CRS or ICANS (tocilizumab, dexamethasone, ...) as one supportive course on one date, dosed and checked (Alt+A)</source>
            <translation>将针对CRS或ICANS的治疗（托珠单抗、地塞米松等）记录为同一日期的一个支持治疗疗程，自动计算剂量并核查（Alt+A）</translation>
        </message>
        <message>
            <source>{kind}: none recorded</source>
            <translation>{kind}：无记录</translation>
        </message>
        <message>
            <source>{kind}: max {grade} on {date}</source>
            <translation>{kind}：最高 {grade}（{date}）</translation>
        </message>
        <message>
            <source>the selected {kind} assessment of {date}</source>
            <translation>所选 {date} 的{kind}评估</translation>
        </message>
        <message>
            <source>today</source>
            <translation>今天</translation>
        </message>
        <message>
            <source>the date in the {kind} form</source>
            <translation>{kind}表单中的日期</translation>
        </message>
        <message>
            <source>Saved course {name} from {date} (see Courses).</source>
            <translation>已保存疗程 {name}，自 {date} 起（见“疗程”）。</translation>
        </message>
    </context>
    <context>
        <name>TreatmentDialog</name>
        <message>
            <source>CRS treatment</source>
            <translation>CRS治疗</translation>
        </message>
        <message>
            <source>ICANS treatment</source>
            <translation>ICANS治疗</translation>
        </message>
        <message>
            <source>once a day</source>
            <translation>每日1次</translation>
        </message>
        <message>
            <source>{n} a day (every {hours} h)</source>
            <translation>每日{n}次（每{hours}小时）</translation>
        </message>
        <message>
            <source>{n} a day</source>
            <translation>每日{n}次</translation>
        </message>
        <message>
            <source>1 dose</source>
            <translation>1次</translation>
        </message>
        <message>
            <source>{n} doses</source>
            <translation>{n}次</translation>
        </message>
        <message>
            <source>Give {drug}</source>
            <translation>给予{drug}</translation>
        </message>
        <message>
            <source>{drug} dose ({unit})</source>
            <translation>{drug}剂量（{unit}）</translation>
        </message>
        <message>
            <source>{drug} days (day 1 = the treatment date)</source>
            <translation>{drug}天数（治疗日期为第1天）</translation>
        </message>
        <message>
            <source>Days counted from the treatment date (day 1), e.g. 1 or 1-3</source>
            <translation>从治疗日期（第1天）起计天数，如 1 或 1-3</translation>
        </message>
        <message>
            <source>route —</source>
            <translation>途径 —</translation>
        </message>
        <message>
            <source>{drug} amount per dose</source>
            <translation>{drug}单次剂量</translation>
        </message>
        <message>
            <source>{drug} doses and dates</source>
            <translation>{drug}次数和日期</translation>
        </message>
        <message>
            <source>{drug}: how the amount is worked out</source>
            <translation>{drug}：剂量计算方法</translation>
        </message>
        <message>
            <source>{drug} warning</source>
            <translation>{drug}警示</translation>
        </message>
        <message>
            <source>{drug} problem</source>
            <translation>{drug}问题</translation>
        </message>
        <message>
            <source>not given</source>
            <translation>未给予</translation>
        </message>
        <message>
            <source>⚠ Warning — {drug}: {warning}</source>
            <translation>⚠ 警示 — {drug}：{warning}</translation>
        </message>
        <message>
            <source>Give</source>
            <translation>给药</translation>
        </message>
        <message>
            <source>Dose</source>
            <translation>剂量</translation>
        </message>
        <message>
            <source>Days</source>
            <translation>天数</translation>
        </message>
        <message>
            <source>How often, route</source>
            <translation>频次、给药途径</translation>
        </message>
        <message>
            <source>Amount per dose</source>
            <translation>单次剂量</translation>
        </message>
        <message>
            <source>Doses and dates</source>
            <translation>次数和日期</translation>
        </message>
        <message>
            <source>Worked out as</source>
            <translation>计算方法</translation>
        </message>
        <message>
            <source>Record CRS/ICANS treatment</source>
            <translation>记录CRS/ICANS治疗</translation>
        </message>
        <message>
            <source>Record CRS or ICANS treatment</source>
            <translation>记录CRS或ICANS治疗</translation>
        </message>
        <message>
            <source>Treatment &amp;date</source>
            <translation>治疗日期(&amp;D)</translation>
        </message>
        <message>
            <source>· from {source}</source>
            <translation>· 取自{source}</translation>
        </message>
        <message>
            <source>Treatment date problem</source>
            <translation>治疗日期问题</translation>
        </message>
        <message>
            <source>Treatment template</source>
            <translation>治疗模板</translation>
        </message>
        <message>
            <source>Template notes</source>
            <translation>模板说明</translation>
        </message>
        <message>
            <source>N&amp;otes</source>
            <translation>备注(&amp;O)</translation>
        </message>
        <message>
            <source>optional, e.g. grade 3 CRS, second tocilizumab dose due</source>
            <translation>选填，如 3级CRS，需第二剂托珠单抗</translation>
        </message>
        <message>
            <source>&amp;Treatment</source>
            <translation>治疗(&amp;T)</translation>
        </message>
        <message>
            <source>CAR-T day and roll-up window</source>
            <translation>CAR-T天数和统计窗口</translation>
        </message>
        <message>
            <source>Body size used</source>
            <translation>所用体型参数</translation>
        </message>
        <message>
            <source>Drug lines</source>
            <translation>用药明细</translation>
        </message>
        <message>
            <source>Problems</source>
            <translation>问题</translation>
        </message>
        <message>
            <source>&amp;Save course</source>
            <translation>保存疗程(&amp;S)</translation>
        </message>
        <message>
            <source>Save the treatment course</source>
            <translation>保存治疗疗程</translation>
        </message>
        <message>
            <source>Save one supportive course (Enter or Ctrl+S)</source>
            <translation>保存为一个支持治疗疗程（Enter 或 Ctrl+S）</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Cancel: close without saving</source>
            <translation>取消：关闭且不保存</translation>
        </message>
        <message>
            <source>Close without saving (Esc)</source>
            <translation>关闭且不保存（Esc）</translation>
        </message>
        <message>
            <source>{notes} Here: untick a drug not given; a repeat dose or another drug is added afterwards by correcting the course in Courses.</source>
            <translation>{notes} 此处：未给予的药物请取消勾选；重复给药或其他药物可之后在“疗程”中更正该疗程添加。</translation>
        </message>
        <message>
            <source>Source: {source}</source>
            <translation>来源：{source}</translation>
        </message>
        <message>
            <source>The CRS and ICANS treatment templates are missing (resources/regimens): enter the course in Courses.</source>
            <translation>缺少CRS和ICANS治疗模板（resources/regimens）：请在“疗程”中录入该疗程。</translation>
        </message>
        <message>
            <source>Doses use: {body}</source>
            <translation>剂量依据：{body}</translation>
        </message>
        <message>
            <source>— (doses appear when the date and a drug line are complete)</source>
            <translation>—（日期和药物行填写完整后显示剂量）</translation>
        </message>
        <message>
            <source>Treatment date {problem}</source>
            <translation>治疗日期{problem}</translation>
        </message>
        <message>
            <source>Tick at least one drug to give.</source>
            <translation>请至少勾选一种要给予的药物。</translation>
        </message>
        <message>
            <source>are empty: give at least one day, e.g. 1 or 1-3</source>
            <translation>为空：请至少填写一天，如 1 或 1-3</translation>
        </message>
        <message>
            <source>{problem} (days are whole numbers, e.g. 1 or 1-3)</source>
            <translation>{problem}（天数为整数，如 1 或 1-3）</translation>
        </message>
        <message>
            <source>{drug} {field} {problem}</source>
            <translation>{drug} {field}{problem}</translation>
        </message>
        <message>
            <source>{field}: {problem}</source>
            <translation>{field}：{problem}</translation>
        </message>
        <message>
            <source>dose</source>
            <translation>剂量</translation>
        </message>
        <message>
            <source>days</source>
            <translation>天数</translation>
        </message>
        <message>
            <source>No CAR-T infusion recorded on or before this date: the registry roll-up counts CRS/ICANS treatment only after an infusion.</source>
            <translation>此日期或之前没有CAR-T细胞回输记录：登记统计只计入回输之后的CRS/ICANS治疗。</translation>
        </message>
        <message>
            <source>inside the {kinds} windows</source>
            <translation>在{kinds}统计窗口内</translation>
        </message>
        <message>
            <source>inside the {kind} window</source>
            <translation>在{kind}统计窗口内</translation>
        </message>
        <message>
            <source>after the CRS (to day +30) and ICANS (to day +60) windows</source>
            <translation>已超出CRS（至+30天）和ICANS（至+60天）统计窗口</translation>
        </message>
        <message>
            <source>Day +{day} after the CAR-T infusion of {date}: {where}.</source>
            <translation>{date} CAR-T细胞回输后 +{day}天：{where}。</translation>
        </message>
        <message>
            <source>Already in Courses: {name} starting {dates} (check this is not recorded twice).</source>
            <translation>“疗程”中已有：{name}，开始于 {dates}（请核对，避免重复记录）。</translation>
        </message>
        <message>
            <source>Not saved. {reason}</source>
            <translation>未保存。{reason}</translation>
        </message>
    </context>
    <context>
        <name>TrendPlots</name>
        <message>
            <source>Transf.</source>
            <translation>输血</translation>
        </message>
        <message>
            <source>Trend plots</source>
            <translation>趋势图</translation>
        </message>
        <message>
            <source>Trend plot panels</source>
            <translation>趋势图面板</translation>
        </message>
        <message>
            <source>MRD not detected</source>
            <translation>MRD未检出</translation>
        </message>
        <message>
            <source>Toxicity grades and transfusions</source>
            <translation>毒性分级与输血</translation>
        </message>
        <message>
            <source>{product} transfusion</source>
            <translation>输注{product}</translation>
        </message>
        <message>
            <source>{anchor} day {day}</source>
            <translation>{anchor} {day}天</translation>
        </message>
    </context>
    <context>
        <name>Trends</name>
        <message>
            <source>TCR</source>
            <translation>TCR重排</translation>
        </message>
        <message>
            <source>platelets</source>
            <translation>血小板</translation>
        </message>
        <message>
            <source>red cells</source>
            <translation>红细胞</translation>
        </message>
        <message>
            <source>plasma</source>
            <translation>血浆</translation>
        </message>
        <message>
            <source>granulocytes</source>
            <translation>粒细胞</translation>
        </message>
    </context>
    <context>
        <name>UsersDialog</name>
        <message>
            <source>Users</source>
            <translation>用户</translation>
        </message>
        <message>
            <source>disabled</source>
            <translation>已停用</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <source>Display name</source>
            <translation>显示名称</translation>
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
            <source>User accounts</source>
            <translation>用户账户</translation>
        </message>
        <message>
            <source>Role of the selected user</source>
            <translation>所选用户的角色</translation>
        </message>
        <message>
            <source>New password for the selected user</source>
            <translation>所选用户的新密码</translation>
        </message>
        <message>
            <source>Selected user</source>
            <translation>所选用户</translation>
        </message>
        <message>
            <source>New password</source>
            <translation>新密码</translation>
        </message>
        <message>
            <source>New user name</source>
            <translation>新用户名</translation>
        </message>
        <message>
            <source>New user's display name</source>
            <translation>新用户的显示名称</translation>
        </message>
        <message>
            <source>e.g. Dr Ann Lee</source>
            <translation>例如：李安医师</translation>
        </message>
        <message>
            <source>New user's role</source>
            <translation>新用户的角色</translation>
        </message>
        <message>
            <source>New user's password</source>
            <translation>新用户的密码</translation>
        </message>
        <message>
            <source>Add a user</source>
            <translation>添加用户</translation>
        </message>
        <message>
            <source>Name tried</source>
            <translation>尝试的用户名</translation>
        </message>
        <message>
            <source>Waits</source>
            <translation>等待</translation>
        </message>
        <message>
            <source>{wait} left</source>
            <translation>剩余 {wait}</translation>
        </message>
        <message>
            <source>Locked names</source>
            <translation>已锁定的用户名</translation>
        </message>
        <message>
            <source>Unlock the selected name</source>
            <translation>解锁所选用户名</translation>
        </message>
        <message>
            <source>Locked names summary</source>
            <translation>已锁定用户名摘要</translation>
        </message>
        <message>
            <source>Locked after failed sign-ins</source>
            <translation>登录失败后锁定</translation>
        </message>
        <message>
            <source>Users message</source>
            <translation>用户消息</translation>
        </message>
        <message>
            <source>No name is locked.</source>
            <translation>没有被锁定的用户名。</translation>
        </message>
        <message>
            <source>Names waiting before they may try again: {n}</source>
            <translation>等待重试的用户名：{n} 个</translation>
        </message>
        <message>
            <source>Added {name} ({role})</source>
            <translation>已添加 {name}（{role}）</translation>
        </message>
        <message>
            <source>You cannot change your own role: another administrator must do it</source>
            <translation>您不能更改自己的角色：须由其他管理员更改</translation>
        </message>
        <message>
            <source>{name} is now {role}</source>
            <translation>{name} 现为{role}</translation>
        </message>
        <message>
            <source>New password set for {name}</source>
            <translation>已为 {name} 设置新密码</translation>
        </message>
        <message>
            <source>Unlocked {name}: it may sign in again now</source>
            <translation>已解锁 {name}：现在可以再次登录</translation>
        </message>
        <message>
            <source>You cannot disable your own account</source>
            <translation>您不能停用自己的账户</translation>
        </message>
        <message>
            <source>{name} is enabled again</source>
            <translation>{name} 已重新启用</translation>
        </message>
        <message>
            <source>{name} is disabled: they can no longer sign in</source>
            <translation>{name} 已停用：无法再登录</translation>
        </message>
    </context>
    <context>
        <name>WelcomePanel</name>
        <message>
            <source>Load the demo patient</source>
            <translation>载入演示患者</translation>
        </message>
        <message>
            <source>New patient</source>
            <translation>新建患者</translation>
        </message>
        <message>
            <source>&lt;h2&gt;Welcome to hemalog&lt;/h2&gt;&lt;p&gt;This database has no patients yet. Load the demo patient to look around, or add a new patient.&lt;/p&gt;</source>
            <translation>&lt;h2&gt;欢迎使用 hemalog&lt;/h2&gt;&lt;p&gt;此数据库还没有患者。可载入演示患者浏览，或新建患者。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;h2&gt;hemalog&lt;/h2&gt;&lt;p&gt;Choose a patient on the left, or find one with {key}.&lt;/p&gt;</source>
            <translation>&lt;h2&gt;hemalog&lt;/h2&gt;&lt;p&gt;请在左侧选择患者，或按 {key} 查找。&lt;/p&gt;</translation>
        </message>
    </context>
    <context>
        <name>clinical</name>
        <message>
            <source>day +{n}</source>
            <comment>day.after</comment>
            <translation>+{n}天</translation>
        </message>
        <message>
            <source>day −{n}</source>
            <comment>day.before</comment>
            <translation>−{n}天</translation>
        </message>
        <message>
            <source>day 0</source>
            <comment>day.zero</comment>
            <translation>0天</translation>
        </message>
        <message>
            <source>{anchor} {day}</source>
            <comment>day.anchor_day</comment>
            <translation>{anchor} {day}</translation>
        </message>
        <message>
            <source>{first} · {second}</source>
            <comment>day.counters.two</comment>
            <translation>{first} · {second}</translation>
        </message>
        <message>
            <source>day 1 = course start</source>
            <comment>day.reference.course_start</comment>
            <translation>疗程开始日为第1天</translation>
        </message>
        <message>
            <source>day 0 = {anchor}</source>
            <comment>day.reference.event</comment>
            <translation>{anchor}当日为0天</translation>
        </message>
        <message>
            <source>no height or weight recorded</source>
            <comment>dosing.body.none</comment>
            <translation>未记录身高或体重</translation>
        </message>
        <message>
            <source>{sizes}, measured {date}</source>
            <comment>dosing.body.measured_together</comment>
            <translation>{sizes}，测量于{date}</translation>
        </message>
        <message>
            <source>{size} measured {date}</source>
            <comment>dosing.body.measured_on</comment>
            <translation>{size}（{date}测量）</translation>
        </message>
        <message>
            <source>no BSA (no {lacking}) — {measured}</source>
            <comment>dosing.body.no_bsa</comment>
            <translation>无体表面积（无{lacking}）— {measured}</translation>
        </message>
        <message>
            <source>BSA {bsa} m² — {measured}</source>
            <comment>dosing.body.bsa</comment>
            <translation>体表面积 {bsa} m² — {measured}</translation>
        </message>
        <message>
            <source>BSA {bsa} m² ({formula}) — {measured}</source>
            <comment>dosing.body.bsa_formula</comment>
            <translation>体表面积 {bsa} m²（{formula}）— {measured}</translation>
        </message>
        <message>
            <source>{dose} {unit} needs the BSA</source>
            <comment>dosing.basis.needs_bsa</comment>
            <translation>{dose} {unit} 需要体表面积</translation>
        </message>
        <message>
            <source>{dose} {unit} needs the weight</source>
            <comment>dosing.basis.needs_weight</comment>
            <translation>{dose} {unit} 需要体重</translation>
        </message>
        <message>
            <source>{dose} {unit} × BSA {bsa} m² = {amount} {amount_unit}</source>
            <comment>dosing.basis.per_bsa</comment>
            <translation>{dose} {unit} × 体表面积 {bsa} m² = {amount} {amount_unit}</translation>
        </message>
        <message>
            <source>{dose} {unit} × {weight} kg = {amount} {amount_unit}</source>
            <comment>dosing.basis.per_kg</comment>
            <translation>{dose} {unit} × {weight} kg = {amount} {amount_unit}</translation>
        </message>
        <message>
            <source>{dose} {unit} (flat dose)</source>
            <comment>dosing.basis.flat</comment>
            <translation>{dose} {unit}（固定剂量）</translation>
        </message>
        <message>
            <source>no {missing} recorded on or before the first dose: cannot work out {dose} {unit}</source>
            <comment>dosing.warning.no_body_size</comment>
            <translation>首次给药当日或之前未记录{missing}：无法计算 {dose} {unit}</translation>
        </message>
        <message>
            <source>single dose {amount} {unit} is above the {cap} {unit} cap for {drug}: check the order (hemalog has not changed it)</source>
            <comment>dosing.warning.single_dose_cap</comment>
            <translation>单次剂量 {amount} {unit} 超过{drug}的单次剂量上限 {cap} {unit}：请核对医嘱（hemalog未作改动）</translation>
        </message>
        <message>
            <source>{dose} mg/m² is above {cap} mg/m² for {drug}: {note}</source>
            <comment>dosing.warning.per_m2_cap</comment>
            <translation>{dose} mg/m² 超过{drug}的 {cap} mg/m²：{note}</translation>
        </message>
        <message>
            <source>conventional vincristine is 1.4 mg/m2 (1.5-2 mg/m2 in children); a higher dose per m2 suggests liposomal vincristine was meant</source>
            <comment>dosing.note.vincristine_liposomal</comment>
            <translation>长春新碱常规剂量为1.4 mg/m2（儿童1.5-2 mg/m2）；每m2剂量更高提示原意可能是长春新碱脂质体</translation>
        </message>
        <message>
            <source>no {anchor} recorded: the dates of days counted from it are unknown (doses use the latest height and weight)</source>
            <comment>dosing.warning.no_anchor</comment>
            <translation>未记录{anchor}：以其为起点计数的给药日日期未知（剂量按最近的身高和体重计算）</translation>
        </message>
        <message>
            <source>{drug} needs a BSA to count towards the cumulative anthracycline dose: the running total is unknown</source>
            <comment>dosing.warning.anthracycline_needs_bsa</comment>
            <translation>{drug}需有体表面积才能计入蒽环类累积剂量：累计总量未知</translation>
        </message>
        <message>
            <source>{drug} in {course}</source>
            <comment>dosing.warning.line_in_course</comment>
            <translation>{course}中的{drug}</translation>
        </message>
        <message>
            <source>cumulative anthracycline at least {total} mg/m² doxorubicin-equivalent: the running total is unknown ({lines} had no BSA)</source>
            <comment>dosing.anthracycline.at_least</comment>
            <translation>蒽环类累积剂量至少 {total} mg/m²（多柔比星当量）：累计总量未知（{lines}无体表面积）</translation>
        </message>
        <message>
            <source>cumulative anthracycline unknown mg/m² doxorubicin-equivalent: the running total is unknown ({lines} had no BSA)</source>
            <comment>dosing.anthracycline.unknown</comment>
            <translation>蒽环类累积剂量未知（mg/m²，多柔比星当量）：累计总量未知（{lines}无体表面积）</translation>
        </message>
        <message>
            <source>cumulative anthracycline {total} mg/m² doxorubicin-equivalent</source>
            <comment>dosing.anthracycline.total</comment>
            <translation>蒽环类累积剂量 {total} mg/m²（多柔比星当量）</translation>
        </message>
        <message>
            <source>{head} reaches the {limit} mg/m² lifetime limit</source>
            <comment>dosing.anthracycline.limit</comment>
            <translation>{head}，已达终身剂量上限 {limit} mg/m²</translation>
        </message>
        <message>
            <source>{head} reaches the {limit} mg/m² lifetime limit (400 with prior cardiotoxic therapy or irradiation)</source>
            <comment>dosing.anthracycline.limit_cardiac_risk</comment>
            <translation>{head}，已达终身剂量上限 {limit} mg/m²（既往心脏毒性治疗或放疗者为400）</translation>
        </message>
        <message>
            <source>{head} reaches the {alert} mg/m² alert (limit {limit})</source>
            <comment>dosing.anthracycline.alert</comment>
            <translation>{head}，已达警示值 {alert} mg/m²（上限 {limit}）</translation>
        </message>
        <message>
            <source>cumulative {drug} {total} {unit} is above the {limit} {unit} lifetime limit</source>
            <comment>dosing.warning.cumulative_limit</comment>
            <translation>{drug}累积剂量 {total} {unit}，超过终身剂量上限 {limit} {unit}</translation>
        </message>
        <message>
            <source>d+{n}</source>
            <comment>engraftment.day.after</comment>
            <translation>+{n}天</translation>
        </message>
        <message>
            <source>d{n}</source>
            <comment>engraftment.day.before</comment>
            <translation>{n}天</translation>
        </message>
        <message>
            <source>the same date</source>
            <comment>engraftment.alternative.same_date</comment>
            <translation>同一日期</translation>
        </message>
        <message>
            <source>no date</source>
            <comment>engraftment.alternative.no_date</comment>
            <translation>无日期</translation>
        </message>
        <message>
            <source>{count} day(s) with several {what} values ({days}); each day's lowest used, the daily highest would give {alternative}</source>
            <comment>engraftment.flag.several_values</comment>
            <translation>{count}天有多次{what}结果（{days}）；每天取最低值，若取每天最高值则为{alternative}</translation>
        </message>
        <message>
            <source>no ANC values on or after day 0 ({date})</source>
            <comment>engraftment.anc.none</comment>
            <translation>0天（{date}）及以后无ANC结果</translation>
        </message>
        <message>
            <source>ANC not measured after day 0</source>
            <comment>engraftment.anc.not_measured</comment>
            <translation>0天后未检测ANC</translation>
        </message>
        <message>
            <source>never neutropenic</source>
            <comment>engraftment.flag.never_neutropenic</comment>
            <translation>从未出现中性粒细胞减少</translation>
        </message>
        <message>
            <source>no ANC &lt; 0.5 after day 0, so no engraftment date is given (the CIBMTR text for this case was not retrieved)</source>
            <comment>engraftment.anc.never_neutropenic_choice</comment>
            <translation>0天后无ANC &lt; 0.5，故不给出植入日期（未检索到CIBMTR对此情况的原文）</translation>
        </message>
        <message>
            <source>never neutropenic: no ANC &lt; 0.5 from day 0 to {day}</source>
            <comment>engraftment.anc.never_neutropenic</comment>
            <translation>从未出现中性粒细胞减少：0天至{day}无ANC &lt; 0.5</translation>
        </message>
        <message>
            <source>after the first value &lt; 0.5 on {day}</source>
            <comment>engraftment.anc.after_nadir</comment>
            <translation>于{day}首次 &lt; 0.5 之后</translation>
        </message>
        <message>
            <source>neutrophil engraftment {day} ({date}): first of {run} consecutive daily values &gt;= 0.5 {where}</source>
            <comment>engraftment.anc.engrafted</comment>
            <translation>中性粒细胞植入 {day}（{date}）：{where}，连续{run}天ANC ≥ 0.5 的第1天</translation>
        </message>
        <message>
            <source>{reason}; recovery after the {limit} limit: primary graft failure by ASTCT 2021</source>
            <comment>engraftment.anc.engrafted_after_limit</comment>
            <translation>{reason}；恢复晚于{limit}时限：按ASTCT 2021为原发性植入失败</translation>
        </message>
        <message>
            <source>primary graft failure</source>
            <comment>engraftment.flag.primary_graft_failure</comment>
            <translation>原发性植入失败</translation>
        </message>
        <message>
            <source>graft source not recorded: the d+30 limit was used (cord blood would allow d+42)</source>
            <comment>engraftment.graft_source_unknown</comment>
            <translation>未记录移植物来源：采用+30天时限（脐血可延至+42天）</translation>
        </message>
        <message>
            <source>not yet engrafted: ANC &gt;= 0.5 since {day}, awaiting {run} consecutive values (assessed {assessed})</source>
            <comment>engraftment.anc.awaiting_run</comment>
            <translation>尚未植入：自{day}起ANC ≥ 0.5，需连续{run}次（评估于{assessed}）</translation>
        </message>
        <message>
            <source>primary graft failure: ANC &gt;= 0.5 not reached by {limit} (assessed {assessed}; ASTCT 2021 also requires pancytopenia)</source>
            <comment>engraftment.anc.primary_graft_failure</comment>
            <translation>原发性植入失败：至{limit}未达ANC ≥ 0.5（评估于{assessed}；ASTCT 2021还要求全血细胞减少）</translation>
        </message>
        <message>
            <source>older definitions (day +{older} for BM/PBSC) would call this primary graft failure; ASTCT 2021 waits until {limit}</source>
            <comment>engraftment.anc.older_definitions</comment>
            <translation>旧定义（骨髓/外周血干细胞为+{older}天）会判为原发性植入失败；ASTCT 2021待至{limit}</translation>
        </message>
        <message>
            <source>not yet engrafted; not yet evaluable for primary graft failure (assessed {assessed}, ASTCT limit {limit})</source>
            <comment>engraftment.anc.not_yet_evaluable</comment>
            <translation>尚未植入；尚不能评估原发性植入失败（评估于{assessed}，ASTCT时限{limit}）</translation>
        </message>
        <message>
            <source>not yet engrafted (assessed {assessed}; primary graft failure limit {limit})</source>
            <comment>engraftment.anc.not_yet</comment>
            <translation>尚未植入（评估于{assessed}；原发性植入失败时限{limit}）</translation>
        </message>
        <message>
            <source>no platelet values on or after day 0 ({date})</source>
            <comment>engraftment.plt.none</comment>
            <translation>0天（{date}）及以后无血小板结果</translation>
        </message>
        <message>
            <source>platelets not measured after day 0</source>
            <comment>engraftment.plt.not_measured</comment>
            <translation>0天后未检测血小板</translation>
        </message>
        <message>
            <source>not applicable: platelets never below {threshold} after day 0 and no platelet transfusion</source>
            <comment>engraftment.plt.not_applicable</comment>
            <translation>不适用：0天后血小板从未低于{threshold}，且未输注血小板</translation>
        </message>
        <message>
            <source>platelets never below {threshold} after day 0 but transfused; searched from day 0</source>
            <comment>engraftment.plt.never_below_transfused</comment>
            <translation>0天后血小板从未低于{threshold}，但有血小板输注；自0天起检索</translation>
        </message>
        <message>
            <source>platelet transfusion on {transfusion} inside the run from {start}: search restarted (not stated by CIBMTR)</source>
            <comment>engraftment.plt.restart</comment>
            <translation>{transfusion}输注血小板，处于自{start}开始的连续期内：重新检索（CIBMTR未作规定）</translation>
        </message>
        <message>
            <source>platelet recovery &gt;= {threshold} on {day} ({date}): first of {run} consecutive daily values &gt;= {threshold}, last platelet transfusion before it: {last}</source>
            <comment>engraftment.plt.recovered</comment>
            <translation>血小板植入 ≥ {threshold}，{day}（{date}）：连续{run}天 ≥ {threshold} 的第1天，此前末次血小板输注：{last}</translation>
        </message>
        <message>
            <source>none</source>
            <comment>engraftment.plt.no_transfusion</comment>
            <translation>无</translation>
        </message>
        <message>
            <source>not yet recovered: no {run} consecutive daily values &gt;= {threshold} free of platelet transfusion for {days} days (last value {last})</source>
            <comment>engraftment.plt.not_yet</comment>
            <translation>尚未植入：无连续{run}天 ≥ {threshold} 且此前{days}天内未输注血小板（末次结果{last}）</translation>
        </message>
        <message>
            <source>not yet recovered: no {run} consecutive daily values &gt;= {threshold} free of platelet transfusion for {days} days (last value {last}); earliest eligible date {eligible_day} ({eligible_date}) after the transfusion on {transfusion}</source>
            <comment>engraftment.plt.not_yet_eligible</comment>
            <translation>尚未植入：无连续{run}天 ≥ {threshold} 且此前{days}天内未输注血小板（末次结果{last}）；最早可计日期为{eligible_day}（{eligible_date}），在{transfusion}输注之后</translation>
        </message>
        <message>
            <source>no HSCT recorded</source>
            <comment>engraftment.no_hsct</comment>
            <translation>未记录造血干细胞移植</translation>
        </message>
        <message>
            <source>rash {rash}% BSA rounded to {rounded}% (skin stage {stage})</source>
            <comment>agvhd.ambiguous.rash_rounded</comment>
            <translation>皮疹{rash}% BSA四舍五入为{rounded}%（皮肤{stage}期）</translation>
        </message>
        <message>
            <source>rash {rash}% BSA rounded to {rounded}% (skin stage {stage}; bullae need a rash over 50%)</source>
            <comment>agvhd.ambiguous.rash_rounded_bullae</comment>
            <translation>皮疹{rash}% BSA四舍五入为{rounded}%（皮肤{stage}期；大疱需皮疹面积超过50%）</translation>
        </message>
        <message>
            <source>bilirubin {mg} mg/dL rounded to {rounded} (liver stage {stage})</source>
            <comment>agvhd.ambiguous.bilirubin_rounded</comment>
            <translation>胆红素{mg} mg/dL四舍五入为{rounded}（肝脏{stage}期）</translation>
        </message>
        <message>
            <source>bilirubin {umol} µmol/L = {mg} mg/dL rounded to {rounded} (liver stage {stage})</source>
            <comment>agvhd.ambiguous.bilirubin_umol_rounded</comment>
            <translation>胆红素{umol} µmol/L = {mg} mg/dL，四舍五入为{rounded}（肝脏{stage}期）</translation>
        </message>
        <message>
            <source>stool {value} {unit} rounded to {rounded} (lower GI stage {stage})</source>
            <comment>agvhd.ambiguous.stool_rounded</comment>
            <translation>腹泻量{value} {unit}四舍五入为{rounded}（下消化道{stage}期）</translation>
        </message>
        <message>
            <source>stool mL/kg/day used (lower GI stage {stage}); {per_day} mL/day would give stage {other}</source>
            <comment>agvhd.ambiguous.per_kg_used</comment>
            <translation>采用腹泻量mL/kg/day（下消化道{stage}期）；按{per_day} mL/day将为{other}期</translation>
        </message>
        <message>
            <source>stool volume used (lower GI stage {stage}); {episodes} episodes/day would give stage {other}</source>
            <comment>agvhd.ambiguous.volume_used</comment>
            <translation>采用腹泻量（下消化道{stage}期）；按每日{episodes}次将为{other}期</translation>
        </message>
        <message>
            <source>rash {rash}% BSA, {row}</source>
            <comment>agvhd.rash</comment>
            <translation>皮疹{rash}% BSA，{row}</translation>
        </message>
        <message>
            <source>bilirubin {mg} mg/dL, {row}</source>
            <comment>agvhd.bilirubin</comment>
            <translation>胆红素{mg} mg/dL，{row}</translation>
        </message>
        <message>
            <source>bilirubin {umol} µmol/L = {mg} mg/dL, {row}</source>
            <comment>agvhd.bilirubin_umol</comment>
            <translation>胆红素{umol} µmol/L = {mg} mg/dL，{row}</translation>
        </message>
        <message>
            <source>persistent nausea, vomiting or anorexia</source>
            <comment>agvhd.upper_gi</comment>
            <translation>持续性恶心、呕吐或厌食</translation>
        </message>
        <message>
            <source>severe abdominal pain</source>
            <comment>agvhd.severe_abdominal_pain</comment>
            <translation>严重腹痛</translation>
        </message>
        <message>
            <source>grossly bloody stool</source>
            <comment>agvhd.bloody_stool</comment>
            <translation>肉眼血便</translation>
        </message>
        <message>
            <source>{episodes} episodes/day, {row}</source>
            <comment>agvhd.episodes</comment>
            <translation>每日{episodes}次，{row}</translation>
        </message>
        <message>
            <source>stool {value} {unit}, {row}</source>
            <comment>agvhd.stool</comment>
            <translation>腹泻量{value} {unit}，{row}</translation>
        </message>
        <message>
            <source>{organ} stage {stage} ({why})</source>
            <comment>agvhd.organ_stage</comment>
            <translation>{organ}{stage}期（{why}）</translation>
        </message>
        <message>
            <source>no organ involved</source>
            <comment>agvhd.no_organ_involved</comment>
            <translation>无器官受累</translation>
        </message>
        <message>
            <source>no organ assessed</source>
            <comment>agvhd.no_organ_assessed</comment>
            <translation>未评估任何器官</translation>
        </message>
        <message>
            <source>{severity}: {because}</source>
            <comment>cgvhd.severity</comment>
            <translation>{severity}：{because}</translation>
        </message>
        <message>
            <source>FEV1 {pct}%</source>
            <comment>cgvhd.source.fev1</comment>
            <translation>FEV1 {pct}%</translation>
        </message>
        <message>
            <source>symptom score</source>
            <comment>cgvhd.source.symptom_score</comment>
            <translation>症状评分</translation>
        </message>
        <message>
            <source>entered</source>
            <comment>cgvhd.source.entered</comment>
            <translation>录入值</translation>
        </message>
        <message>
            <source>entered lung score</source>
            <comment>cgvhd.source.entered_lung_score</comment>
            <translation>录入的肺评分</translation>
        </message>
        <message>
            <source>FEV1 {fev1}% rounded to {rounded}% (lung score {score})</source>
            <comment>cgvhd.ambiguous.fev1_rounded</comment>
            <translation>FEV1 {fev1}%四舍五入为{rounded}%（肺评分{score}分）</translation>
        </message>
        <message>
            <source>lung score {score} from {source} (NIH 2014); the higher {other} {other_score} would count under NIH 2005</source>
            <comment>cgvhd.ambiguous.lung_2014</comment>
            <translation>肺评分{score}分，依据{source}（NIH 2014）；按NIH 2005将计入较高的{other} {other_score}分</translation>
        </message>
        <message>
            <source>lung score {score} from {source} (NIH 2005, higher); NIH 2014 would use {other} ({other_score})</source>
            <comment>cgvhd.ambiguous.lung_2005</comment>
            <translation>肺评分{score}分，依据{source}（NIH 2005，取较高者）；NIH 2014将采用{other}（{other_score}分）</translation>
        </message>
        <message>
            <source>NIH 2005 uses the higher {source} ({score})</source>
            <comment>cgvhd.nih_2005_higher</comment>
            <translation>NIH 2005采用较高的{source}（{score}分）</translation>
        </message>
        <message>
            <source>lungs score {score} (lung &gt;= 2)</source>
            <comment>cgvhd.lung_severe</comment>
            <translation>肺评分{score}分（肺 &gt;= 2分）</translation>
        </message>
        <message>
            <source>lungs score {score} (lung &gt;= 2; {source})</source>
            <comment>cgvhd.lung_severe_source</comment>
            <translation>肺评分{score}分（肺 &gt;= 2分；{source}）</translation>
        </message>
        <message>
            <source>{organs} score 3 (any organ 3)</source>
            <comment>cgvhd.any_organ_3</comment>
            <translation>{organs}评分3分（任一器官3分）</translation>
        </message>
        <message>
            <source>lungs score 1 (lung 1)</source>
            <comment>cgvhd.lung_1</comment>
            <translation>肺评分1分（肺1分）</translation>
        </message>
        <message>
            <source>lungs score 1 (lung 1; {source})</source>
            <comment>cgvhd.lung_1_source</comment>
            <translation>肺评分1分（肺1分；{source}）</translation>
        </message>
        <message>
            <source>{organs} score 2 (non-lung organ 2)</source>
            <comment>cgvhd.organ_2</comment>
            <translation>{organs}评分2分（非肺器官2分）</translation>
        </message>
        <message>
            <source>{count} organs score 1 ({organs})</source>
            <comment>cgvhd.organs_1</comment>
            <translation>{count}个器官评分1分（{organs}）</translation>
        </message>
        <message>
            <source>one organ scores 1 ({organs})</source>
            <comment>cgvhd.one_organ_1</comment>
            <translation>一个器官评分1分（{organs}）</translation>
        </message>
        <message>
            <source>two organs score 1 ({organs})</source>
            <comment>cgvhd.two_organs_1</comment>
            <translation>两个器官评分1分（{organs}）</translation>
        </message>
        <message>
            <source>all organs score 0</source>
            <comment>cgvhd.all_0</comment>
            <translation>所有器官评分0分</translation>
        </message>
        <message>
            <source>all assessed organs score 0</source>
            <comment>cgvhd.all_assessed_0</comment>
            <translation>所有已评估器官评分0分</translation>
        </message>
        <message>
            <source>{organs} excluded (other cause)</source>
            <comment>cgvhd.excluded</comment>
            <translation>{organs}已排除（其他原因所致）</translation>
        </message>
        <message>
            <source>death due to CRS</source>
            <comment>crs.fatal</comment>
            <translation>因CRS死亡</translation>
        </message>
        <message>
            <source>fever explained by another cause</source>
            <comment>crs.fever_other_cause</comment>
            <translation>发热可由其他原因解释</translation>
        </message>
        <message>
            <source>no temperature recorded and fever not masked</source>
            <comment>crs.no_temperature</comment>
            <translation>未记录体温，且发热未被掩盖</translation>
        </message>
        <message>
            <source>no fever ({temperature} °C &lt; 38.0) and fever not masked</source>
            <comment>crs.no_fever</comment>
            <translation>无发热（{temperature} °C &lt; 38.0），且发热未被掩盖</translation>
        </message>
        <message>
            <source>fever {temperature} °C (&gt;= 38.0) without hypotension or hypoxia</source>
            <comment>crs.fever_only</comment>
            <translation>发热{temperature} °C（&gt;= 38.0），无低血压或低氧</translation>
        </message>
        <message>
            <source>fever {temperature} rounded to 38.0 °C (&gt;= 38.0) without hypotension or hypoxia</source>
            <comment>crs.fever_only_rounded</comment>
            <translation>发热{temperature} °C，四舍五入为38.0（&gt;= 38.0），无低血压或低氧</translation>
        </message>
        <message>
            <source>afebrile</source>
            <comment>crs.afebrile</comment>
            <translation>无发热</translation>
        </message>
        <message>
            <source>fever masked, {why}, no hypotension or hypoxia (resolved or not CRS)</source>
            <comment>crs.masked</comment>
            <translation>发热被掩盖，{why}，无低血压或低氧（已缓解或非CRS）</translation>
        </message>
        <message>
            <source>resolved or not CRS: masked and afebrile with no hypotension or hypoxia graded 0, not 1</source>
            <comment>crs.ambiguous.masked_afebrile</comment>
            <translation>已缓解或非CRS：发热被掩盖、无发热且无低血压或低氧，评为0级而非1级</translation>
        </message>
        <message>
            <source>temperature {temperature} °C rounded half-up to 38.0: counted as fever</source>
            <comment>crs.ambiguous.temperature_rounded</comment>
            <translation>体温{temperature} °C四舍五入为38.0：计为发热</translation>
        </message>
        <message>
            <source>{count} vasopressors excluding vasopressin ({drugs})</source>
            <comment>crs.several_vasopressors</comment>
            <translation>使用{count}种血管活性药物（{drugs}；不计血管加压素）</translation>
        </message>
        <message>
            <source>one vasopressor ({drug})</source>
            <comment>crs.one_vasopressor</comment>
            <translation>使用一种血管活性药物（{drug}）</translation>
        </message>
        <message>
            <source>one vasopressor ({drug}) with vasopressin</source>
            <comment>crs.one_vasopressor_with_vasopressin</comment>
            <translation>使用一种血管活性药物（{drug}）联合血管加压素</translation>
        </message>
        <message>
            <source>vasopressin alone (counted as one vasopressor)</source>
            <comment>crs.vasopressin_alone</comment>
            <translation>仅使用血管加压素（计为一种血管活性药物）</translation>
        </message>
        <message>
            <source>vasopressin alone counted as one vasopressor (grade 3); ASTCT does not say whether it counts</source>
            <comment>crs.ambiguous.vasopressin_alone</comment>
            <translation>仅使用血管加压素时按一种血管活性药物计（3级）；ASTCT未说明是否计入</translation>
        </message>
        <message>
            <source>hypotension (graded as not requiring vasopressors)</source>
            <comment>crs.hypotension_pressors_unknown</comment>
            <translation>低血压（按无需血管活性药物分级）</translation>
        </message>
        <message>
            <source>hypotension not requiring vasopressors</source>
            <comment>crs.hypotension_no_pressors</comment>
            <translation>低血压，无需血管活性药物</translation>
        </message>
        <message>
            <source>{device} (graded as low flow)</source>
            <comment>crs.oxygen.flow_unknown</comment>
            <translation>{device}（按低流量分级）</translation>
        </message>
        <message>
            <source>{device} {flow} L/min (high flow, &gt; 6 L/min)</source>
            <comment>crs.oxygen.high_flow</comment>
            <translation>{device} {flow} L/min（高流量，&gt; 6 L/min）</translation>
        </message>
        <message>
            <source>{device} {flow} L/min (low flow, &lt;= 6 L/min)</source>
            <comment>crs.oxygen.low_flow</comment>
            <translation>{device} {flow} L/min（低流量，&lt;= 6 L/min）</translation>
        </message>
        <message>
            <source>{device} {flow} L/min rounded to {rounded} (low flow, &lt;= 6 L/min)</source>
            <comment>crs.oxygen.low_flow_rounded</comment>
            <translation>{device} {flow} L/min，四舍五入为{rounded}（低流量，&lt;= 6 L/min）</translation>
        </message>
        <message>
            <source>oxygen flow {flow} L/min rounded half-up to {rounded}: low flow</source>
            <comment>crs.ambiguous.flow_rounded_low</comment>
            <translation>氧流量{flow} L/min四舍五入为{rounded}：低流量</translation>
        </message>
        <message>
            <source>{device} (low flow)</source>
            <comment>crs.oxygen.low_flow_device</comment>
            <translation>{device}（低流量）</translation>
        </message>
        <message>
            <source>{device} (grade 3 oxygen)</source>
            <comment>crs.oxygen.grade3_device</comment>
            <translation>{device}（3级氧疗）</translation>
        </message>
        <message>
            <source>{device} (positive pressure)</source>
            <comment>crs.oxygen.positive_pressure</comment>
            <translation>{device}（正压通气）</translation>
        </message>
        <message>
            <source>ungradeable: {because}</source>
            <comment>ctcae.ungradeable</comment>
            <translation>无法分级：{because}</translation>
        </message>
        <message>
            <source>not graded: {because}</source>
            <comment>ctcae.not_graded</comment>
            <translation>未分级：{because}</translation>
        </message>
        <message>
            <source>transfusion indicated ({label} {value} g/L) ({term})</source>
            <comment>ctcae.transfusion_indicated</comment>
            <translation>需输血（{label} {value} g/L）（{term}）</translation>
        </message>
        <message>
            <source>{label} {value} is not below the grade-2 cut {cut} and grade 1 needs the lab's LLN, which is missing ({term})</source>
            <comment>ctcae.no_lln</comment>
            <translation>{label} {value}未低于2级界值{cut}，1级需依据实验室的LLN（正常值下限），但LLN缺失（{term}）</translation>
        </message>
        <message>
            <source>{label} {value} is not below LLN {cut} ({term})</source>
            <comment>ctcae.not_below_lln</comment>
            <translation>{label} {value}未低于LLN {cut}（{term}）</translation>
        </message>
        <message>
            <source>{label} {value} is not below {cut} {unit} ({term})</source>
            <comment>ctcae.not_below_cut</comment>
            <translation>{label} {value}未低于{cut} {unit}（{term}）</translation>
        </message>
        <message>
            <source>{label} {value} &lt; LLN {cut} {unit} ({term})</source>
            <comment>ctcae.below_lln</comment>
            <translation>{label} {value} &lt; LLN {cut} {unit}（{term}）</translation>
        </message>
        <message>
            <source>{label} {value} &lt; {cut} {unit} ({term})</source>
            <comment>ctcae.below_cut</comment>
            <translation>{label} {value} &lt; {cut} {unit}（{term}）</translation>
        </message>
        <message>
            <source>Hb {value} mmol/L graded as {g_l} g/L (1 g/dL = 0.6206 mmol/L); the CTCAE mmol/L bins would give {other}</source>
            <comment>ctcae.ambiguous.hb_mmol</comment>
            <translation>Hb {value} mmol/L按{g_l} g/L分级（1 g/dL = 0.6206 mmol/L）；按CTCAE的mmol/L分档将为{other}</translation>
        </message>
        <message>
            <source>ungradeable</source>
            <comment>ctcae.ungradeable_word</comment>
            <translation>无法分级</translation>
        </message>
        <message>
            <source>grade {grade}</source>
            <comment>ctcae.grade_word</comment>
            <translation>{grade}级</translation>
        </message>
        <message>
            <source>LLN missing</source>
            <comment>ctcae.lln_missing</comment>
            <translation>缺少LLN</translation>
        </message>
        <message>
            <source>grade {grade} febrile neutropenia: {because}</source>
            <comment>ctcae.fn.grade</comment>
            <translation>{grade}级发热性中性粒细胞减少：{because}</translation>
        </message>
        <message>
            <source>not febrile neutropenia: {because}</source>
            <comment>ctcae.fn.not</comment>
            <translation>非发热性中性粒细胞减少：{because}</translation>
        </message>
        <message>
            <source>not febrile neutropenia despite fever: {because}</source>
            <comment>ctcae.fn.not_despite_fever</comment>
            <translation>虽有发热，但非发热性中性粒细胞减少：{because}</translation>
        </message>
        <message>
            <source>not febrile neutropenia on what was recorded: {because}</source>
            <comment>ctcae.fn.not_on_record</comment>
            <translation>按现有记录非发热性中性粒细胞减少：{because}</translation>
        </message>
        <message>
            <source>ANC {anc} is not &lt; 1.0 x10^9/L</source>
            <comment>ctcae.fn.anc_not_low</comment>
            <translation>ANC {anc}不低于1.0 x10^9/L</translation>
        </message>
        <message>
            <source>ANC {anc} &lt; 1.0 and a single temperature {temperature} °C &gt; 38.3 °C</source>
            <comment>ctcae.fn.single_temperature</comment>
            <translation>ANC {anc} &lt; 1.0，且单次体温{temperature} °C &gt; 38.3 °C</translation>
        </message>
        <message>
            <source>ANC {anc} &lt; 1.0 and &gt;= 38.0 °C sustained {minutes} min (&gt; 60 min)</source>
            <comment>ctcae.fn.sustained</comment>
            <translation>ANC {anc} &lt; 1.0，且体温&gt;= 38.0 °C持续{minutes} min（&gt; 60 min）</translation>
        </message>
        <message>
            <source>ANC {anc} &lt; 1.0 but {what} not recorded</source>
            <comment>ctcae.fn.missing</comment>
            <translation>ANC {anc} &lt; 1.0，但未记录{what}</translation>
        </message>
        <message>
            <source>{what} not recorded</source>
            <comment>ctcae.not_recorded</comment>
            <translation>未记录{what}</translation>
        </message>
        <message>
            <source>ANC {anc} &lt; 1.0 but {shown} is not &gt; 38.3 °C and &gt;= 38.0 °C was not sustained &gt; 60 min</source>
            <comment>ctcae.fn.no_fever</comment>
            <translation>ANC {anc} &lt; 1.0，但{shown}未超过38.3 °C，且&gt;= 38.0 °C未持续超过60 min</translation>
        </message>
        <message>
            <source>highest {temperature} °C</source>
            <comment>ctcae.fn.highest</comment>
            <translation>最高体温{temperature} °C</translation>
        </message>
        <message>
            <source>{start} to {end}</source>
            <comment>ctcae.span</comment>
            <translation>{start}至{end}</translation>
        </message>
        <message>
            <source>no {test} values from {span}</source>
            <comment>ctcae.no_values</comment>
            <translation>{span}无{test}结果</translation>
        </message>
        <message>
            <source>none of {count} {test} values from {span} could be graded (LLN missing)</source>
            <comment>ctcae.none_graded</comment>
            <translation>{span}的{count}个{test}结果均无法分级（缺少LLN）</translation>
        </message>
        <message>
            <source>{count} value(s) without LLN could be grade 1</source>
            <comment>ctcae.ungraded_could_be_1</comment>
            <translation>{count}个无LLN的结果可能为1级</translation>
        </message>
        <message>
            <source>{test} {value} on {date} (worst of {count} values, {span})</source>
            <comment>ctcae.worst</comment>
            <translation>{date} {test} {value}（{count}个结果中最差，{span}）</translation>
        </message>
        <message>
            <source>{label} {value} is not below {cut} {unit} and the lab gave no LLN to decide between grade 1 and 0 ({term}, CTCAE v{version})</source>
            <comment>ctcae.lab.no_lln</comment>
            <translation>{label} {value}未低于{cut} {unit}，且实验室未提供LLN，无法区分1级与0级（{term}，CTCAE v{version}）</translation>
        </message>
        <message>
            <source>{label} {value} is not below the LLN {lln} ({term}, CTCAE v{version})</source>
            <comment>ctcae.lab.not_below_lln</comment>
            <translation>{label} {value}未低于LLN {lln}（{term}，CTCAE v{version}）</translation>
        </message>
        <message>
            <source>{label} {value} &lt; LLN {lln} {unit} ({term}, CTCAE v{version})</source>
            <comment>ctcae.lab.below_lln</comment>
            <translation>{label} {value} &lt; LLN {lln} {unit}（{term}，CTCAE v{version}）</translation>
        </message>
        <message>
            <source>{label} {value} &lt; {cut} {unit} ({term}, CTCAE v{version})</source>
            <comment>ctcae.lab.below_cut</comment>
            <translation>{label} {value} &lt; {cut} {unit}（{term}，CTCAE v{version}）</translation>
        </message>
        <message>
            <source>v6.0 lymphocyte cut-offs not verified; v5.0 cut-offs used</source>
            <comment>ctcae.ambiguous.alc_v6</comment>
            <translation>v6.0淋巴细胞界值未经核实；采用v5.0界值</translation>
        </message>
        <message>
            <source>death due to ICANS</source>
            <comment>icans.fatal</comment>
            <translation>因ICANS死亡</translation>
        </message>
        <message>
            <source>CAPD {score} ({band})</source>
            <comment>icans.capd_band</comment>
            <translation>CAPD {score}分（{band}）</translation>
        </message>
        <message>
            <source>ICE score {score} ({band})</source>
            <comment>icans.ice_band</comment>
            <translation>ICE评分{score}分（{band}）</translation>
        </message>
        <message>
            <source>CAPD {score}</source>
            <comment>icans.capd</comment>
            <translation>CAPD {score}分</translation>
        </message>
        <message>
            <source>ICE score {score}</source>
            <comment>icans.ice</comment>
            <translation>ICE评分{score}分</translation>
        </message>
        <message>
            <source>age 12: ICE used (ASTCT: ICE from 12 years; NCIt C188936: CAPD for 12 and under)</source>
            <comment>icans.ambiguous.age_12</comment>
            <translation>12岁：采用ICE评分（ASTCT：12岁起用ICE；NCIt C188936：12岁及以下用CAPD）</translation>
        </message>
        <message>
            <source>{finding} (ICE 0: unable to perform)</source>
            <comment>icans.ice_0_unable</comment>
            <translation>{finding}（ICE 0分：无法完成）</translation>
        </message>
        <message>
            <source>{screen} and no other ICANS finding</source>
            <comment>icans.screen_only</comment>
            <translation>{screen}，无其他ICANS表现</translation>
        </message>
        <message>
            <source>CAPD 0 graded 0 (the ASTCT table's grade 1 is CAPD 1-8; paraphrases reading '&lt; 9' would give 1)</source>
            <comment>icans.ambiguous.capd_0</comment>
            <translation>CAPD 0分评为0级（ASTCT表中1级为CAPD 1-8分；按“&lt; 9”的转述将评为1级）</translation>
        </message>
        <message>
            <source>no ICANS finding</source>
            <comment>icans.no_finding</comment>
            <translation>无ICANS表现</translation>
        </message>
        <message>
            <source>ambiguous: {choice}</source>
            <comment>grading.ambiguous</comment>
            <translation>有歧义：{choice}</translation>
        </message>
        <message>
            <source>provisional: {missing}</source>
            <comment>grading.provisional</comment>
            <translation>暂定：{missing}</translation>
        </message>
        <message>
            <source>grade {grade}: {because}</source>
            <comment>grading.grade</comment>
            <translation>{grade}级：{because}</translation>
        </message>
        <message>
            <source>{text}; {note}</source>
            <comment>grading.noted</comment>
            <translation>{text}；{note}</translation>
        </message>
        <message>
            <source>{what} not assessed</source>
            <comment>grading.not_assessed</comment>
            <translation>{what}未评估</translation>
        </message>
        <message>
            <source>{clauses}</source>
            <comment>grading.clauses</comment>
            <translation>{clauses}</translation>
        </message>
        <message>
            <source>no ANC values on days 0-30</source>
            <comment>icaht.early.no_values</comment>
            <translation>0-30天无ANC结果</translation>
        </message>
        <message>
            <source>ANC not measured</source>
            <comment>icaht.early.not_measured</comment>
            <translation>未检测ANC</translation>
        </message>
        <message>
            <source>ANC never above 0.5 from day 0 to day 30</source>
            <comment>icaht.early.never_above</comment>
            <translation>0天至30天ANC从未高于0.5</translation>
        </message>
        <message>
            <source>{days} days with ANC &lt;= 0.1 (&gt;= 14)</source>
            <comment>icaht.early.profound_14</comment>
            <translation>ANC ≤ 0.1 共{days}天（≥ 14）</translation>
        </message>
        <message>
            <source>{days} days with ANC &lt;= 0.5 (&gt;= 14)</source>
            <comment>icaht.early.severe_14</comment>
            <translation>ANC ≤ 0.5 共{days}天（≥ 14）</translation>
        </message>
        <message>
            <source>{days} days with ANC &lt;= 0.1 (&gt;= 7)</source>
            <comment>icaht.early.profound_7</comment>
            <translation>ANC ≤ 0.1 共{days}天（≥ 7）</translation>
        </message>
        <message>
            <source>{days} days with ANC &lt;= 0.5 (7-13)</source>
            <comment>icaht.early.severe_7_13</comment>
            <translation>ANC ≤ 0.5 共{days}天（7-13）</translation>
        </message>
        <message>
            <source>{days} days with ANC &lt;= 0.5 (&lt; 7)</source>
            <comment>icaht.early.severe_1_6</comment>
            <translation>ANC ≤ 0.5 共{days}天（&lt; 7）</translation>
        </message>
        <message>
            <source>no day with ANC &lt;= 0.5</source>
            <comment>icaht.early.none</comment>
            <translation>无ANC ≤ 0.5 的日子</translation>
        </message>
        <message>
            <source>{why}, including {days} day(s) of a recovery shorter than 3 days</source>
            <comment>icaht.early.with_short_recoveries</comment>
            <translation>{why}，其中{days}天为不足3天的短暂恢复</translation>
        </message>
        <message>
            <source>ANC rose above 0.5 only for &lt; 3 days: grade 3 because it was not 'never above 0.5'; the open-source code (31 cumulative days) gives 4</source>
            <comment>icaht.early.short_recovery_choice</comment>
            <translation>ANC高于0.5仅持续不足3天：因并非“从未高于0.5”判为3级；开源代码（累计31天）判为4级</translation>
        </message>
        <message>
            <source>{days} unmeasured day(s) between neutropenic values counted as neutropenic</source>
            <comment>icaht.early.inferred_days</comment>
            <translation>中性粒细胞减少结果之间的{days}个未检测日按中性粒细胞减少计</translation>
        </message>
        <message>
            <source>days {first}-{last} not measured</source>
            <comment>icaht.early.first_days_missing</comment>
            <translation>{first}-{last}天未检测</translation>
        </message>
        <message>
            <source>ANC not measured after day {day}</source>
            <comment>icaht.early.not_measured_after</comment>
            <translation>{day}天后未检测ANC</translation>
        </message>
        <message>
            <source>early ICAHT grade {grade}: {why}</source>
            <comment>icaht.early.grade</comment>
            <translation>早期ICAHT {grade}级：{why}</translation>
        </message>
        <message>
            <source>late ICAHT needs at least two ANC measurements after day +30 ({count} given)</source>
            <comment>icaht.late.too_few</comment>
            <translation>晚期ICAHT需要+30天后至少两次ANC结果（现有{count}次）</translation>
        </message>
        <message>
            <source>second ANC measurement</source>
            <comment>icaht.late.second_measurement</comment>
            <translation>第二次ANC结果</translation>
        </message>
        <message>
            <source>late ICAHT grade {grade}: two measurements with ANC &lt;= {cut} (values {lowest} and {confirmed})</source>
            <comment>icaht.late.grade</comment>
            <translation>晚期ICAHT {grade}级：两次ANC ≤ {cut}（{lowest}和{confirmed}）</translation>
        </message>
        <message>
            <source>late ICAHT grade 0: fewer than two measurements with ANC &lt;= 1.5 (second-lowest {confirmed})</source>
            <comment>icaht.late.grade_0</comment>
            <translation>晚期ICAHT 0级：ANC ≤ 1.5 不足两次（次低值{confirmed}）</translation>
        </message>
        <message>
            <source>no MRD value</source>
            <comment>mrd.none</comment>
            <translation>无MRD结果</translation>
        </message>
        <message>
            <source>not detected, insufficient sensitivity: assay LOD {lod} % is worse than 0.01 % (10^-4)</source>
            <comment>mrd.insufficient_sensitivity</comment>
            <translation>未检出，灵敏度不足：检测LOD {lod} % 劣于0.01 %（10^-4）</translation>
        </message>
        <message>
            <source>negative: not detected, assay LOD {lod} % (sensitivity 10^-4 or better)</source>
            <comment>mrd.negative.lod</comment>
            <translation>MRD阴性：未检出，检测LOD {lod} %（灵敏度10^-4或更高）</translation>
        </message>
        <message>
            <source>negative: not detected, assay LOD not recorded, taken as 0.01 % (sensitivity 10^-4 or better)</source>
            <comment>mrd.negative.no_lod</comment>
            <translation>MRD阴性：未检出，未记录检测LOD，按0.01 %计（灵敏度10^-4或更高）</translation>
        </message>
        <message>
            <source>negative at 10^-4: detected, below 10^-4 ({mrd} % &lt; 0.01 %)</source>
            <comment>mrd.negative.below_threshold</comment>
            <translation>10^-4水平MRD阴性：有检出但低于10^-4（{mrd} % &lt; 0.01 %）</translation>
        </message>
        <message>
            <source>positive: 0.01 % is not below 10^-4 (MRD failure at &gt;= 0.01 %)</source>
            <comment>mrd.positive.at_threshold</comment>
            <translation>MRD阳性：0.01 % 不低于10^-4（≥ 0.01 % 为MRD失败）</translation>
        </message>
        <message>
            <source>MRD exactly 0.01 %: failure by PMC8824253 (&gt;= 0.01 %); the ASH table says failure only above 0.01 %</source>
            <comment>mrd.positive.at_threshold_choice</comment>
            <translation>MRD恰为0.01 %：按PMC8824253为失败（≥ 0.01 %）；ASH表格仅将高于0.01 %定为失败</translation>
        </message>
        <message>
            <source>positive: {mrd} % &gt;= 0.01 % (MRD failure)</source>
            <comment>mrd.positive</comment>
            <translation>MRD阳性：{mrd} % ≥ 0.01 %（MRD失败）</translation>
        </message>
        <message>
            <source>{lineage} {pct} %</source>
            <comment>chimerism.lineage_value</comment>
            <translation>{lineage} {pct} %</translation>
        </message>
        <message>
            <source>full donor: {values} (&gt; 95 % in every lineage)</source>
            <comment>chimerism.full_donor</comment>
            <translation>完全供者嵌合：{values}（各系均 &gt; 95 %）</translation>
        </message>
        <message>
            <source>autologous reconstitution / graft loss: {values} (&lt; 5 %)</source>
            <comment>chimerism.autologous</comment>
            <translation>自体重建/移植物丢失：{values}（&lt; 5 %）</translation>
        </message>
        <message>
            <source>donor chimerism exactly 95 %: mixed by ASTCT (&gt; 95 % for full); full donor by the CIBMTR ALL criteria (&gt;= 95 %)</source>
            <comment>chimerism.exactly_95</comment>
            <translation>供者嵌合率恰为95 %：按ASTCT为混合嵌合（完全供者嵌合需 &gt; 95 %）；按CIBMTR ALL标准为完全供者嵌合（≥ 95 %）</translation>
        </message>
        <message>
            <source>mixed chimerism: {values} (5-95 %)</source>
            <comment>chimerism.mixed</comment>
            <translation>混合嵌合：{values}（5-95 %）</translation>
        </message>
        <message>
            <source>mixed chimerism (lineage-split): {values} (5-95 %)</source>
            <comment>chimerism.mixed_split</comment>
            <translation>混合嵌合（各系不一致）：{values}（5-95 %）</translation>
        </message>
        <message>
            <source>marrow blasts not assessed</source>
            <comment>response.blasts_not_assessed</comment>
            <translation>未评估骨髓原始细胞</translation>
        </message>
        <message>
            <source>not CR: marrow blasts {blasts} % (needs &lt; 5 %)</source>
            <comment>response.not_cr.blasts</comment>
            <translation>未达CR：骨髓原始细胞 {blasts} %（需 &lt; 5 %）</translation>
        </message>
        <message>
            <source>not CR: extramedullary disease</source>
            <comment>response.not_cr.extramedullary</comment>
            <translation>未达CR：有髓外病变</translation>
        </message>
        <message>
            <source>not CR (&gt; 1.0 and &gt; 100)</source>
            <comment>response.other_criteria.not_cr</comment>
            <translation>未达CR（&gt; 1.0 且 &gt; 100）</translation>
        </message>
        <message>
            <source>CR (&gt;= 1.0 and &gt;= 100)</source>
            <comment>response.other_criteria.cr</comment>
            <translation>CR（≥ 1.0 且 ≥ 100）</translation>
        </message>
        <message>
            <source>ANC exactly 1.0 or platelets exactly 100: {criteria} reads {op}; the other criteria sets would say {other}</source>
            <comment>response.counts_at_cut_point</comment>
            <translation>ANC恰为1.0或血小板恰为100：{criteria}采用{op}；其他标准则判为{other}</translation>
        </message>
        <message>
            <source>{what} not assessed</source>
            <comment>response.not_assessed</comment>
            <translation>{what}未评估</translation>
        </message>
        <message>
            <source>n/a</source>
            <comment>response.not_available</comment>
            <translation>无</translation>
        </message>
        <message>
            <source>ANC {anc}, platelets {plt}</source>
            <comment>response.counts</comment>
            <translation>ANC {anc}，血小板 {plt}</translation>
        </message>
        <message>
            <source>not CR: blasts {blasts} % but {counts} are neither recovered ({op} 1.0 and {op} 100) nor below the CRi cut-points</source>
            <comment>response.not_cr.counts</comment>
            <translation>未达CR：原始细胞 {blasts} %，但{counts}既未恢复（{op} 1.0 且 {op} 100），也未低于CRi界值</translation>
        </message>
        <message>
            <source>duration (4 weeks) not assessed</source>
            <comment>response.duration_not_assessed</comment>
            <translation>持续时间（4周）未评估</translation>
        </message>
        <message>
            <source>not yet {category} (unconfirmed): blasts {blasts} %, {counts}, sustained {weeks} of 4 weeks</source>
            <comment>response.unconfirmed</comment>
            <translation>尚未确认{category}：原始细胞 {blasts} %，{counts}，已持续{weeks}周（需4周）</translation>
        </message>
        <message>
            <source>counts recovered</source>
            <comment>response.counts_recovered</comment>
            <translation>血象已恢复</translation>
        </message>
        <message>
            <source>counts not recovered</source>
            <comment>response.counts_not_recovered</comment>
            <translation>血象未恢复</translation>
        </message>
        <message>
            <source>{category}: blasts {blasts} % (&lt; 5 %), no extramedullary disease, {counts} ({why}, {op} 1.0 and {op} 100)</source>
            <comment>response.category</comment>
            <translation>{category}：原始细胞 {blasts} %（&lt; 5 %），无髓外病变，{counts}（{why}，{op} 1.0 且 {op} 100）</translation>
        </message>
        <message>
            <source>{name} not assessed</source>
            <comment>rollup.syndrome.not_assessed</comment>
            <translation>{name}未评估</translation>
        </message>
        <message>
            <source>{name} none</source>
            <comment>rollup.syndrome.none</comment>
            <translation>无{name}</translation>
        </message>
        <message>
            <source>{name} from {onset}, worst grade {grade} on {worst_day}, {treatment}</source>
            <comment>rollup.syndrome</comment>
            <translation>{name}自{onset}起，最重{grade}级（{worst_day}），{treatment}</translation>
        </message>
        <message>
            <source>{name} from {onset}, worst grade {grade} on {worst_day}, resolved {resolved}, {treatment}</source>
            <comment>rollup.syndrome.resolved</comment>
            <translation>{name}自{onset}起，最重{grade}级（{worst_day}），{resolved}缓解，{treatment}</translation>
        </message>
        <message>
            <source>no treatment recorded</source>
            <comment>rollup.syndrome.no_treatment</comment>
            <translation>未记录治疗</translation>
        </message>
        <message>
            <source>CAR-T {date}: {crs} · {icans}</source>
            <comment>rollup.episode</comment>
            <translation>CAR-T {date}：{crs} · {icans}</translation>
        </message>
        <message>
            <source>not yet</source>
            <comment>rollup.transplant.not_yet</comment>
            <translation>尚未</translation>
        </message>
        <message>
            <source>neutrophils {neutrophil}, platelets {platelet}</source>
            <comment>rollup.transplant.engraftment</comment>
            <translation>中性粒细胞植入：{neutrophil}，血小板植入：{platelet}</translation>
        </message>
        <message>
            <source>aGVHD not assessed</source>
            <comment>rollup.transplant.agvhd_not_assessed</comment>
            <translation>aGVHD未评估</translation>
        </message>
        <message>
            <source>aGVHD worst {grades}</source>
            <comment>rollup.transplant.agvhd_worst</comment>
            <translation>aGVHD最重：{grades}</translation>
        </message>
        <message>
            <source>{grade} by day +100</source>
            <comment>rollup.transplant.agvhd_by_day_100</comment>
            <translation>+100天内 {grade}度</translation>
        </message>
        <message>
            <source>{grade} after day +100</source>
            <comment>rollup.transplant.agvhd_after_day_100</comment>
            <translation>+100天后 {grade}度</translation>
        </message>
        <message>
            <source>cGVHD {severity}</source>
            <comment>rollup.transplant.cgvhd</comment>
            <translation>cGVHD：{severity}</translation>
        </message>
        <message>
            <source>not assessed</source>
            <comment>rollup.transplant.cgvhd_not_assessed</comment>
            <translation>未评估</translation>
        </message>
        <message>
            <source>chimerism {pct} % {category}</source>
            <comment>rollup.transplant.chimerism</comment>
            <translation>供者嵌合率 {pct} %（{category}）</translation>
        </message>
        <message>
            <source>HSCT {date}: {engraftment} · {agvhd} · {cgvhd}</source>
            <comment>rollup.transplant</comment>
            <translation>HSCT {date}：{engraftment} · {agvhd} · {cgvhd}</translation>
        </message>
        <message>
            <source>HSCT {date}: {engraftment} · {agvhd} · {cgvhd} · {chimerism}</source>
            <comment>rollup.transplant.with_chimerism</comment>
            <translation>HSCT {date}：{engraftment} · {agvhd} · {cgvhd} · {chimerism}</translation>
        </message>
        <message>
            <source>White cells and neutrophils</source>
            <comment>series.panel.white_cells</comment>
            <translation>白细胞和中性粒细胞</translation>
        </message>
        <message>
            <source>Haemoglobin and platelets</source>
            <comment>series.panel.hb_platelets</comment>
            <translation>血红蛋白和血小板</translation>
        </message>
        <message>
            <source>MRD and TCR rearrangement</source>
            <comment>series.panel.mrd</comment>
            <translation>MRD和TCR重排</translation>
        </message>
        <message>
            <source>CAR-T cells</source>
            <comment>series.panel.car_t</comment>
            <translation>CAR-T细胞</translation>
        </message>
        <message>
            <source>Inflammation</source>
            <comment>series.panel.inflammation</comment>
            <translation>炎症指标</translation>
        </message>
        <message>
            <source>% (log)</source>
            <comment>series.axis.percent_log</comment>
            <translation>%（对数）</translation>
        </message>
        <message>
            <source>% of lymphocytes</source>
            <comment>series.axis.percent_of_lymphocytes</comment>
            <translation>占淋巴细胞 %</translation>
        </message>
        <message>
            <source>log scale</source>
            <comment>series.axis.log_scale</comment>
            <translation>对数坐标</translation>
        </message>
        <message>
            <source>Ferritin ng/mL</source>
            <comment>series.label.ferritin</comment>
            <translation>铁蛋白 ng/mL</translation>
        </message>
        <message>
            <source>{lineage} engrafted d+{day}</source>
            <comment>series.marker.engrafted</comment>
            <translation>{lineage}植入 +{day}天</translation>
        </message>
        <message>
            <source>{kind} {grade}</source>
            <comment>series.grade_marker</comment>
            <translation>{kind} {grade}级</translation>
        </message>
        <message>
            <source>{kind} {grade}</source>
            <comment>series.grade_marker.agvhd</comment>
            <translation>{kind} {grade}度</translation>
        </message>
        <message>
            <source>{kind} {severity}</source>
            <comment>series.grade_marker.cgvhd</comment>
            <translation>{kind} {severity}</translation>
        </message>
        <message>
            <source>{kind} None</source>
            <comment>series.grade_marker.none</comment>
            <translation>{kind} 无法分级</translation>
        </message>
        <message>
            <source>{parts}</source>
            <comment>timeline.parts</comment>
            <translation>{parts}</translation>
        </message>
        <message>
            <source>{drugs} — {count} dose warning</source>
            <comment>timeline.course.dose_warning</comment>
            <translation>{drugs} — {count}条剂量警示</translation>
        </message>
        <message>
            <source>{drugs} — {count} dose warnings</source>
            <comment>timeline.course.dose_warnings</comment>
            <translation>{drugs} — {count}条剂量警示</translation>
        </message>
        <message>
            <source>Transfusion: {product}</source>
            <comment>timeline.event.transfusion</comment>
            <translation>输血：{product}</translation>
        </message>
        <message>
            <source>{key} {value}</source>
            <comment>timeline.event.detail</comment>
            <translation>{key}：{value}</translation>
        </message>
        <message>
            <source>{detail} — {notes}</source>
            <comment>timeline.event.with_notes</comment>
            <translation>{detail} — {notes}</translation>
        </message>
        <message>
            <source>blasts {pct}%</source>
            <comment>timeline.marrow.blasts</comment>
            <translation>原始细胞 {pct}%</translation>
        </message>
        <message>
            <source>MRD {pct}% ({status})</source>
            <comment>timeline.marrow.mrd</comment>
            <translation>MRD {pct}%（{status}）</translation>
        </message>
        <message>
            <source>donor chimerism {pct}%</source>
            <comment>timeline.marrow.donor_chimerism</comment>
            <translation>供者嵌合率 {pct}%</translation>
        </message>
        <message>
            <source>{test} {value}</source>
            <comment>timeline.lab_value</comment>
            <translation>{test} {value}</translation>
        </message>
        <message>
            <source>{first}, {second}</source>
            <comment>timeline.day_labels.two</comment>
            <translation>{first}，{second}</translation>
        </message>
        <message>
            <source>voided because {reason}</source>
            <comment>signature.voided_because</comment>
            <translation>作废，原因：{reason}</translation>
        </message>
        <message>
            <source>corrected because {reason}</source>
            <comment>signature.corrected_because</comment>
            <translation>更正，原因：{reason}</translation>
        </message>
    </context>
    <context>
        <name>lab_import</name>
        <message>
            <source>{code} is not a test in the lab code table; add it to the ward's table (lab-codes.csv) or leave it out</source>
            <comment>lab_import.unknown_code</comment>
            <translation>{code} 不在检验代码表中；请将其加入病区的代码表（lab-codes.csv），或不导入该项</translation>
        </message>
        <message>
            <source>no unit given for {test}: choose it with the columns, or have the lab system send it ({units})</source>
            <comment>lab_import.no_unit</comment>
            <translation>{test} 未给出单位：请在列设置中选择，或由检验系统发送（{units}）</translation>
        </message>
        <message>
            <source>{unit} is not a unit hemalog converts for {test}; it knows {units}</source>
            <comment>lab_import.unknown_unit</comment>
            <translation>{unit} 不是 hemalog 可换算的 {test} 单位；可用单位：{units}</translation>
        </message>
        <message>
            <source>for another patient (MRN {mrn}); this import is for {expected}</source>
            <comment>lab_import.other_patient</comment>
            <translation>属于另一位患者（病历号 {mrn}）；本次导入的是 {expected}</translation>
        </message>
        <message>
            <source>names no patient (no MRN)</source>
            <comment>lab_import.no_patient</comment>
            <translation>未注明患者（无病历号）</translation>
        </message>
        <message>
            <source>for MRN {mrn}, who is not in this database</source>
            <comment>lab_import.unknown_mrn</comment>
            <translation>病历号 {mrn} 的患者不在本数据库中</translation>
        </message>
        <message>
            <source>the patient identifiers {mrn} name two patients of this database ({mrns}): which one is not guessed</source>
            <comment>lab_import.two_patients</comment>
            <translation>患者标识 {mrn} 对应本数据库中的两位患者（{mrns}）：不作猜测</translation>
        </message>
        <message>
            <source>the value {value} is not a number</source>
            <comment>lab_import.not_a_number</comment>
            <translation>数值 {value} 不是数字</translation>
        </message>
        <message>
            <source>the value {value} has a comma: write the decimal with a point (3.5), without thousands separators</source>
            <comment>lab_import.decimal_comma</comment>
            <translation>数值 {value} 含逗号：小数请用小数点（3.5），不要用千位分隔符</translation>
        </message>
        <message>
            <source>the value {value} is a limit of the lab's measuring range, not a measured value; it is not imported</source>
            <comment>lab_import.bound</comment>
            <translation>数值 {value} 是检测范围的界限，不是测得值；不予导入</translation>
        </message>
        <message>
            <source>the value {value} is negative: impossible for {test}</source>
            <comment>lab_import.negative</comment>
            <translation>数值 {value} 为负数：{test} 不可能为负</translation>
        </message>
        <message>
            <source>the value {value} {unit} is impossible for {test} (more than {limit} {unit})</source>
            <comment>lab_import.impossible</comment>
            <translation>数值 {value} {unit} 对 {test} 而言不可能（超过 {limit} {unit}）</translation>
        </message>
        <message>
            <source>no date</source>
            <comment>lab_import.no_date</comment>
            <translation>无日期</translation>
        </message>
        <message>
            <source>{text} is not a date written {format}</source>
            <comment>lab_import.not_a_date</comment>
            <translation>{text} 不是按 {format} 书写的日期</translation>
        </message>
        <message>
            <source>result status {status}: only final (F) or corrected (C) results are imported</source>
            <comment>lab_import.not_final</comment>
            <translation>结果状态 {status}：只导入最终（F）或更正（C）的结果</translation>
        </message>
        <message>
            <source>no value</source>
            <comment>lab_import.no_value</comment>
            <translation>无数值</translation>
        </message>
        <message>
            <source>already recorded</source>
            <comment>lab_import.already_recorded</comment>
            <translation>已记录</translation>
        </message>
        <message>
            <source>the same as {where}</source>
            <comment>lab_import.same_as_earlier</comment>
            <translation>与{where}相同</translation>
        </message>
        <message>
            <source>{test} of {date} is already recorded as {value} {unit}; a different value is a correction: make it in the labs grid, with its reason</source>
            <comment>lab_import.other_value_recorded</comment>
            <translation>{date} 的 {test} 已记录为 {value} {unit}；不同的数值属于更正：请在检验表格中更正并填写原因</translation>
        </message>
        <message>
            <source>{where} has {test} of {date} as {value} {unit}; hemalog keeps one value per test and day</source>
            <comment>lab_import.other_value_in_file</comment>
            <translation>{where}中 {date} 的 {test} 为 {value} {unit}；hemalog 每个项目每天只保留一个数值</translation>
        </message>
        <message>
            <source>{value} {unit} converted to {stored} {stored_unit}</source>
            <comment>lab_import.converted</comment>
            <translation>{value} {unit} 已换算为 {stored} {stored_unit}</translation>
        </message>
        <message>
            <source>reference range {text} not read (not low-high, &lt;high or &gt;low)</source>
            <comment>lab_import.range_not_read</comment>
            <translation>参考范围 {text} 未读取（不是 下限-上限、&lt;上限 或 &gt;下限 的写法）</translation>
        </message>
        <message>
            <source>{what}: {problem}</source>
            <comment>lab_import.bad_text</comment>
            <translation>{what}：{problem}</translation>
        </message>
        <message>
            <source>{date} is after today ({today})</source>
            <comment>lab_import.future_date</comment>
            <translation>{date} 晚于今天（{today}）</translation>
        </message>
        <message>
            <source>mapping {name}: {role} column {column} is not in the file (its columns: {columns})</source>
            <comment>lab_import.mapping.no_column</comment>
            <translation>列设置 {name}：{role} 列 {column} 不在文件中（文件的列：{columns}）</translation>
        </message>
        <message>
            <source>columns not recognised: no {roles} column; choose them (File ▸ Import lab results…) or give --mapping</source>
            <comment>lab_import.mapping.incomplete</comment>
            <translation>未能识别列：缺少 {roles} 列；请选择列（文件 ▸ 导入检验结果…）或给出 --mapping</translation>
        </message>
        <message>
            <source>no column is a test hemalog knows (wide form: one column per test, named by its code or name)</source>
            <comment>lab_import.mapping.no_tests</comment>
            <translation>没有列是 hemalog 认识的检验项目（横向格式：每列一个项目，以代码或名称命名）</translation>
        </message>
    </context>
    <context>
        <name>term</name>
        <message>
            <source>CAR-T</source>
            <comment>term.anchor.cart_infusion</comment>
            <translation>CAR-T</translation>
        </message>
        <message>
            <source>HSCT</source>
            <comment>term.anchor.hsct</comment>
            <translation>HSCT</translation>
        </message>
        <message>
            <source>vincristine</source>
            <comment>term.drug.vincristine</comment>
            <translation>长春新碱</translation>
        </message>
        <message>
            <source>tocilizumab</source>
            <comment>term.drug.tocilizumab</comment>
            <translation>托珠单抗</translation>
        </message>
        <message>
            <source>doxorubicin</source>
            <comment>term.drug.doxorubicin</comment>
            <translation>多柔比星</translation>
        </message>
        <message>
            <source>daunorubicin</source>
            <comment>term.drug.daunorubicin</comment>
            <translation>柔红霉素</translation>
        </message>
        <message>
            <source>epirubicin</source>
            <comment>term.drug.epirubicin</comment>
            <translation>表柔比星</translation>
        </message>
        <message>
            <source>mitoxantrone</source>
            <comment>term.drug.mitoxantrone</comment>
            <translation>米托蒽醌</translation>
        </message>
        <message>
            <source>idarubicin</source>
            <comment>term.drug.idarubicin</comment>
            <translation>伊达比星</translation>
        </message>
        <message>
            <source>bleomycin</source>
            <comment>term.drug.bleomycin</comment>
            <translation>博来霉素</translation>
        </message>
        <message>
            <source>siltuximab</source>
            <comment>term.drug.siltuximab</comment>
            <translation>司妥昔单抗</translation>
        </message>
        <message>
            <source>anakinra</source>
            <comment>term.drug.anakinra</comment>
            <translation>阿那白滞素</translation>
        </message>
        <message>
            <source>dexamethasone</source>
            <comment>term.drug.dexamethasone</comment>
            <translation>地塞米松</translation>
        </message>
        <message>
            <source>methylprednisolone</source>
            <comment>term.drug.methylprednisolone</comment>
            <translation>甲泼尼龙</translation>
        </message>
        <message>
            <source>hydrocortisone</source>
            <comment>term.drug.hydrocortisone</comment>
            <translation>氢化可的松</translation>
        </message>
        <message>
            <source>azacitidine</source>
            <comment>term.drug.azacitidine</comment>
            <translation>阿扎胞苷</translation>
        </message>
        <message>
            <source>busulfan</source>
            <comment>term.drug.busulfan</comment>
            <translation>白消安</translation>
        </message>
        <message>
            <source>carmustine</source>
            <comment>term.drug.carmustine</comment>
            <translation>卡莫司汀</translation>
        </message>
        <message>
            <source>cd7 car-t cells</source>
            <comment>term.drug.cd7_car_t_cells</comment>
            <translation>CD7 CAR-T细胞</translation>
        </message>
        <message>
            <source>chidamide</source>
            <comment>term.drug.chidamide</comment>
            <translation>西达本胺</translation>
        </message>
        <message>
            <source>cisplatin</source>
            <comment>term.drug.cisplatin</comment>
            <translation>顺铂</translation>
        </message>
        <message>
            <source>cyclophosphamide</source>
            <comment>term.drug.cyclophosphamide</comment>
            <translation>环磷酰胺</translation>
        </message>
        <message>
            <source>cyclosporine</source>
            <comment>term.drug.cyclosporine</comment>
            <translation>环孢素</translation>
        </message>
        <message>
            <source>cytarabine</source>
            <comment>term.drug.cytarabine</comment>
            <translation>阿糖胞苷</translation>
        </message>
        <message>
            <source>etoposide</source>
            <comment>term.drug.etoposide</comment>
            <translation>依托泊苷</translation>
        </message>
        <message>
            <source>fludarabine</source>
            <comment>term.drug.fludarabine</comment>
            <translation>氟达拉滨</translation>
        </message>
        <message>
            <source>gemcitabine</source>
            <comment>term.drug.gemcitabine</comment>
            <translation>吉西他滨</translation>
        </message>
        <message>
            <source>melphalan</source>
            <comment>term.drug.melphalan</comment>
            <translation>美法仑</translation>
        </message>
        <message>
            <source>methotrexate</source>
            <comment>term.drug.methotrexate</comment>
            <translation>甲氨蝶呤</translation>
        </message>
        <message>
            <source>mycophenolate mofetil</source>
            <comment>term.drug.mycophenolate_mofetil</comment>
            <translation>吗替麦考酚酯</translation>
        </message>
        <message>
            <source>prednisone</source>
            <comment>term.drug.prednisone</comment>
            <translation>泼尼松</translation>
        </message>
        <message>
            <source>rabbit anti-thymocyte globulin</source>
            <comment>term.drug.rabbit_atg</comment>
            <translation>兔抗人胸腺细胞免疫球蛋白</translation>
        </message>
        <message>
            <source>rituximab</source>
            <comment>term.drug.rituximab</comment>
            <translation>利妥昔单抗</translation>
        </message>
        <message>
            <source>selinexor</source>
            <comment>term.drug.selinexor</comment>
            <translation>塞利尼索</translation>
        </message>
        <message>
            <source>venetoclax</source>
            <comment>term.drug.venetoclax</comment>
            <translation>维奈克拉</translation>
        </message>
        <message>
            <source>vindesine</source>
            <comment>term.drug.vindesine</comment>
            <translation>长春地辛</translation>
        </message>
        <message>
            <source>height</source>
            <comment>term.body.height</comment>
            <translation>身高</translation>
        </message>
        <message>
            <source>weight</source>
            <comment>term.body.weight</comment>
            <translation>体重</translation>
        </message>
        <message>
            <source>height and weight</source>
            <comment>term.body.height_and_weight</comment>
            <translation>身高和体重</translation>
        </message>
        <message>
            <source>units</source>
            <comment>term.unit.units</comment>
            <translation>单位</translation>
        </message>
        <message>
            <source>cells</source>
            <comment>term.unit.cells</comment>
            <translation>细胞</translation>
        </message>
        <message>
            <source>units/m2</source>
            <comment>term.unit.units_m2</comment>
            <translation>单位/m2</translation>
        </message>
        <message>
            <source>cells/kg</source>
            <comment>term.unit.cells_kg</comment>
            <translation>细胞/kg</translation>
        </message>
        <message>
            <source>ANC</source>
            <comment>term.lab.anc_short</comment>
            <translation>ANC</translation>
        </message>
        <message>
            <source>platelet</source>
            <comment>term.lineage.platelet</comment>
            <translation>血小板</translation>
        </message>
        <message>
            <source>skin</source>
            <comment>term.gvhd.organ.skin</comment>
            <translation>皮肤</translation>
        </message>
        <message>
            <source>liver</source>
            <comment>term.gvhd.organ.liver</comment>
            <translation>肝脏</translation>
        </message>
        <message>
            <source>upper GI</source>
            <comment>term.gvhd.organ.upper_gi</comment>
            <translation>上消化道</translation>
        </message>
        <message>
            <source>lower GI</source>
            <comment>term.gvhd.organ.lower_gi</comment>
            <translation>下消化道</translation>
        </message>
        <message>
            <source>&gt;50% with bullae</source>
            <comment>term.gvhd.skin_over_50_bullae</comment>
            <translation>&gt;50%伴大疱</translation>
        </message>
        <message>
            <source>mouth</source>
            <comment>term.gvhd.organ.mouth</comment>
            <translation>口腔</translation>
        </message>
        <message>
            <source>eyes</source>
            <comment>term.gvhd.organ.eyes</comment>
            <translation>眼</translation>
        </message>
        <message>
            <source>GI tract</source>
            <comment>term.gvhd.organ.gi_tract</comment>
            <translation>胃肠道</translation>
        </message>
        <message>
            <source>lungs</source>
            <comment>term.gvhd.organ.lungs</comment>
            <translation>肺</translation>
        </message>
        <message>
            <source>joints/fascia</source>
            <comment>term.gvhd.organ.joints_fascia</comment>
            <translation>关节/筋膜</translation>
        </message>
        <message>
            <source>genital tract</source>
            <comment>term.gvhd.organ.genital_tract</comment>
            <translation>生殖道</translation>
        </message>
        <message>
            <source>three</source>
            <comment>term.number.three</comment>
            <translation>三</translation>
        </message>
        <message>
            <source>four</source>
            <comment>term.number.four</comment>
            <translation>四</translation>
        </message>
        <message>
            <source>five</source>
            <comment>term.number.five</comment>
            <translation>五</translation>
        </message>
        <message>
            <source>six</source>
            <comment>term.number.six</comment>
            <translation>六</translation>
        </message>
        <message>
            <source>seven</source>
            <comment>term.number.seven</comment>
            <translation>七</translation>
        </message>
        <message>
            <source>none</source>
            <comment>term.cgvhd.none</comment>
            <translation>无</translation>
        </message>
        <message>
            <source>mild</source>
            <comment>term.cgvhd.mild</comment>
            <translation>轻度</translation>
        </message>
        <message>
            <source>moderate</source>
            <comment>term.cgvhd.moderate</comment>
            <translation>中度</translation>
        </message>
        <message>
            <source>severe</source>
            <comment>term.cgvhd.severe</comment>
            <translation>重度</translation>
        </message>
        <message>
            <source>norepinephrine</source>
            <comment>term.vasopressor.norepinephrine</comment>
            <translation>去甲肾上腺素</translation>
        </message>
        <message>
            <source>epinephrine</source>
            <comment>term.vasopressor.epinephrine</comment>
            <translation>肾上腺素</translation>
        </message>
        <message>
            <source>phenylephrine</source>
            <comment>term.vasopressor.phenylephrine</comment>
            <translation>去氧肾上腺素</translation>
        </message>
        <message>
            <source>dopamine</source>
            <comment>term.vasopressor.dopamine</comment>
            <translation>多巴胺</translation>
        </message>
        <message>
            <source>vasopressin</source>
            <comment>term.vasopressor.vasopressin</comment>
            <translation>血管加压素</translation>
        </message>
        <message>
            <source>angiotensin ii</source>
            <comment>term.vasopressor.angiotensin_ii</comment>
            <translation>血管紧张素II</translation>
        </message>
        <message>
            <source>temperature</source>
            <comment>term.crs.finding.temperature</comment>
            <translation>体温</translation>
        </message>
        <message>
            <source>hypotension</source>
            <comment>term.crs.finding.hypotension</comment>
            <translation>低血压</translation>
        </message>
        <message>
            <source>vasopressors</source>
            <comment>term.crs.finding.vasopressors</comment>
            <translation>血管活性药物</translation>
        </message>
        <message>
            <source>oxygen</source>
            <comment>term.crs.finding.oxygen</comment>
            <translation>氧疗</translation>
        </message>
        <message>
            <source>oxygen flow</source>
            <comment>term.crs.finding.oxygen_flow</comment>
            <translation>氧流量</translation>
        </message>
        <message>
            <source>nasal cannula</source>
            <comment>term.crs.device.nasal_cannula</comment>
            <translation>鼻导管</translation>
        </message>
        <message>
            <source>blow-by oxygen</source>
            <comment>term.crs.device.blow_by</comment>
            <translation>吹氧</translation>
        </message>
        <message>
            <source>facemask</source>
            <comment>term.crs.device.facemask</comment>
            <translation>面罩</translation>
        </message>
        <message>
            <source>non-rebreather mask</source>
            <comment>term.crs.device.non_rebreather</comment>
            <translation>储氧面罩</translation>
        </message>
        <message>
            <source>Venturi mask</source>
            <comment>term.crs.device.venturi</comment>
            <translation>文丘里面罩</translation>
        </message>
        <message>
            <source>CPAP</source>
            <comment>term.crs.device.cpap</comment>
            <translation>CPAP</translation>
        </message>
        <message>
            <source>BiPAP</source>
            <comment>term.crs.device.bipap</comment>
            <translation>BiPAP</translation>
        </message>
        <message>
            <source>mechanical ventilation</source>
            <comment>term.crs.device.mechanical_ventilation</comment>
            <translation>机械通气</translation>
        </message>
        <message>
            <source>highest single temperature</source>
            <comment>term.ctcae.highest_single_temperature</comment>
            <translation>最高单次体温</translation>
        </message>
        <message>
            <source>minutes at &gt;= 38.0 °C</source>
            <comment>term.ctcae.minutes_at_38</comment>
            <translation>体温&gt;= 38.0 °C的持续时间（分钟）</translation>
        </message>
        <message>
            <source>first</source>
            <comment>term.ctcae.first</comment>
            <translation>最早</translation>
        </message>
        <message>
            <source>last</source>
            <comment>term.ctcae.last</comment>
            <translation>最近</translation>
        </message>
        <message>
            <source>anc</source>
            <comment>term.ctcae.test.anc</comment>
            <translation>ANC</translation>
        </message>
        <message>
            <source>plt</source>
            <comment>term.ctcae.test.plt</comment>
            <translation>PLT</translation>
        </message>
        <message>
            <source>wbc</source>
            <comment>term.ctcae.test.wbc</comment>
            <translation>WBC</translation>
        </message>
        <message>
            <source>alc</source>
            <comment>term.ctcae.test.alc</comment>
            <translation>ALC</translation>
        </message>
        <message>
            <source>hb</source>
            <comment>term.ctcae.test.hb</comment>
            <translation>Hb</translation>
        </message>
        <message>
            <source>Neutrophil count decreased</source>
            <comment>term.ctcae.neutrophil_count_decreased</comment>
            <translation>中性粒细胞计数降低</translation>
        </message>
        <message>
            <source>Platelet count decreased</source>
            <comment>term.ctcae.platelet_count_decreased</comment>
            <translation>血小板计数降低</translation>
        </message>
        <message>
            <source>White blood cell decreased</source>
            <comment>term.ctcae.white_blood_cell_decreased</comment>
            <translation>白细胞计数降低</translation>
        </message>
        <message>
            <source>Lymphocyte count decreased</source>
            <comment>term.ctcae.lymphocyte_count_decreased</comment>
            <translation>淋巴细胞计数降低</translation>
        </message>
        <message>
            <source>Anemia</source>
            <comment>term.ctcae.anemia</comment>
            <translation>贫血</translation>
        </message>
        <message>
            <source>Thrombocytopenia</source>
            <comment>term.ctcae.thrombocytopenia</comment>
            <translation>血小板减少症</translation>
        </message>
        <message>
            <source>ANC</source>
            <comment>term.ctcae.count.anc</comment>
            <translation>ANC</translation>
        </message>
        <message>
            <source>platelets</source>
            <comment>term.ctcae.count.platelets</comment>
            <translation>血小板</translation>
        </message>
        <message>
            <source>WBC</source>
            <comment>term.ctcae.count.wbc</comment>
            <translation>WBC</translation>
        </message>
        <message>
            <source>lymphocytes</source>
            <comment>term.ctcae.count.lymphocytes</comment>
            <translation>淋巴细胞</translation>
        </message>
        <message>
            <source>Hb</source>
            <comment>term.ctcae.count.hb</comment>
            <translation>Hb</translation>
        </message>
        <message>
            <source>ICE</source>
            <comment>term.icans.ice</comment>
            <translation>ICE评分</translation>
        </message>
        <message>
            <source>CAPD</source>
            <comment>term.icans.capd</comment>
            <translation>CAPD</translation>
        </message>
        <message>
            <source>consciousness</source>
            <comment>term.icans.consciousness</comment>
            <translation>意识水平</translation>
        </message>
        <message>
            <source>awakens spontaneously (depressed level of consciousness)</source>
            <comment>term.icans.awakens_spontaneously</comment>
            <translation>自发苏醒（意识水平降低）</translation>
        </message>
        <message>
            <source>awakens only to voice</source>
            <comment>term.icans.awakens_to_voice</comment>
            <translation>仅对声音刺激苏醒</translation>
        </message>
        <message>
            <source>awakens only to tactile stimulus</source>
            <comment>term.icans.awakens_to_touch</comment>
            <translation>仅对触觉刺激苏醒</translation>
        </message>
        <message>
            <source>unarousable</source>
            <comment>term.icans.unarousable</comment>
            <translation>无法唤醒</translation>
        </message>
        <message>
            <source>seizure</source>
            <comment>term.icans.seizure</comment>
            <translation>癫痫发作</translation>
        </message>
        <message>
            <source>seizure that resolved rapidly</source>
            <comment>term.icans.seizure_rapidly_resolving</comment>
            <translation>可迅速缓解的癫痫发作</translation>
        </message>
        <message>
            <source>life-threatening prolonged or repetitive seizure</source>
            <comment>term.icans.seizure_life_threatening</comment>
            <translation>危及生命的长时间或反复癫痫发作</translation>
        </message>
        <message>
            <source>motor</source>
            <comment>term.icans.motor</comment>
            <translation>运动功能</translation>
        </message>
        <message>
            <source>deep focal motor weakness</source>
            <comment>term.icans.deep_focal_weakness</comment>
            <translation>深部局灶性运动无力</translation>
        </message>
        <message>
            <source>cerebral oedema</source>
            <comment>term.icans.cerebral_edema</comment>
            <translation>脑水肿</translation>
        </message>
        <message>
            <source>focal cerebral oedema on imaging</source>
            <comment>term.icans.cerebral_edema_focal</comment>
            <translation>影像学示局灶性脑水肿</translation>
        </message>
        <message>
            <source>diffuse cerebral oedema</source>
            <comment>term.icans.cerebral_edema_diffuse</comment>
            <translation>弥漫性脑水肿</translation>
        </message>
        <message>
            <source>donor</source>
            <comment>term.chimerism.donor</comment>
            <translation>供者</translation>
        </message>
        <message>
            <source>myeloid</source>
            <comment>term.chimerism.myeloid</comment>
            <translation>髓系</translation>
        </message>
        <message>
            <source>lymphoid</source>
            <comment>term.chimerism.lymphoid</comment>
            <translation>淋巴系</translation>
        </message>
        <message>
            <source>platelets</source>
            <comment>term.lab.platelets</comment>
            <translation>血小板</translation>
        </message>
        <message>
            <source>ANC and platelets</source>
            <comment>term.lab.anc_and_platelets</comment>
            <translation>ANC和血小板</translation>
        </message>
        <message>
            <source>full</source>
            <comment>term.chimerism.full</comment>
            <translation>完全供者嵌合</translation>
        </message>
        <message>
            <source>mixed</source>
            <comment>term.chimerism.mixed</comment>
            <translation>混合嵌合</translation>
        </message>
        <message>
            <source>autologous</source>
            <comment>term.chimerism.autologous</comment>
            <translation>自体重建</translation>
        </message>
        <message>
            <source>Diagnosis</source>
            <comment>term.event.diagnosis</comment>
            <translation>诊断</translation>
        </message>
        <message>
            <source>CAR-T infusion</source>
            <comment>term.event.cart_infusion</comment>
            <translation>CAR-T细胞回输</translation>
        </message>
        <message>
            <source>Stem cell transplant</source>
            <comment>term.event.hsct</comment>
            <translation>造血干细胞移植</translation>
        </message>
        <message>
            <source>PET-CT</source>
            <comment>term.event.pet_ct</comment>
            <translation>PET-CT</translation>
        </message>
        <message>
            <source>Transfusion</source>
            <comment>term.event.transfusion</comment>
            <translation>输血</translation>
        </message>
        <message>
            <source>Infection</source>
            <comment>term.event.infection</comment>
            <translation>感染</translation>
        </message>
        <message>
            <source>Engraftment confirmed</source>
            <comment>term.event.engraftment_confirmed</comment>
            <translation>植入确认</translation>
        </message>
        <message>
            <source>Relapse</source>
            <comment>term.event.relapse</comment>
            <translation>复发</translation>
        </message>
        <message>
            <source>Death</source>
            <comment>term.event.death</comment>
            <translation>死亡</translation>
        </message>
        <message>
            <source>Last follow-up</source>
            <comment>term.event.last_follow_up</comment>
            <translation>末次随访</translation>
        </message>
        <message>
            <source>Other</source>
            <comment>term.event.other</comment>
            <translation>其他</translation>
        </message>
        <message>
            <source>platelets</source>
            <comment>term.product.platelets</comment>
            <translation>血小板</translation>
        </message>
        <message>
            <source>red cells</source>
            <comment>term.product.red_cells</comment>
            <translation>红细胞</translation>
        </message>
        <message>
            <source>plasma</source>
            <comment>term.product.plasma</comment>
            <translation>血浆</translation>
        </message>
        <message>
            <source>granulocytes</source>
            <comment>term.product.granulocytes</comment>
            <translation>粒细胞</translation>
        </message>
        <message>
            <source>product</source>
            <comment>term.detail.product</comment>
            <translation>制品</translation>
        </message>
        <message>
            <source>cells per kg</source>
            <comment>term.detail.cells_per_kg</comment>
            <translation>每千克细胞数</translation>
        </message>
        <message>
            <source>donor</source>
            <comment>term.detail.donor</comment>
            <translation>供者</translation>
        </message>
        <message>
            <source>donor relation</source>
            <comment>term.detail.donor_relation</comment>
            <translation>供者关系</translation>
        </message>
        <message>
            <source>hla match</source>
            <comment>term.detail.hla_match</comment>
            <translation>HLA配型</translation>
        </message>
        <message>
            <source>graft</source>
            <comment>term.detail.graft</comment>
            <translation>移植物类型</translation>
        </message>
        <message>
            <source>conditioning intensity</source>
            <comment>term.detail.conditioning_intensity</comment>
            <translation>预处理强度</translation>
        </message>
        <message>
            <source>deauville</source>
            <comment>term.detail.deauville</comment>
            <translation>Deauville评分</translation>
        </message>
        <message>
            <source>response</source>
            <comment>term.detail.response</comment>
            <translation>疗效</translation>
        </message>
        <message>
            <source>organism</source>
            <comment>term.detail.organism</comment>
            <translation>病原体</translation>
        </message>
        <message>
            <source>site</source>
            <comment>term.detail.site</comment>
            <translation>部位</translation>
        </message>
        <message>
            <source>lineage</source>
            <comment>term.detail.lineage</comment>
            <translation>细胞系</translation>
        </message>
        <message>
            <source>wbc</source>
            <comment>term.test.wbc</comment>
            <translation>WBC</translation>
        </message>
        <message>
            <source>anc</source>
            <comment>term.test.anc</comment>
            <translation>ANC</translation>
        </message>
        <message>
            <source>alc</source>
            <comment>term.test.alc</comment>
            <translation>ALC</translation>
        </message>
        <message>
            <source>plt</source>
            <comment>term.test.plt</comment>
            <translation>PLT</translation>
        </message>
        <message>
            <source>hb</source>
            <comment>term.test.hb</comment>
            <translation>Hb</translation>
        </message>
        <message>
            <source>crp</source>
            <comment>term.test.crp</comment>
            <translation>CRP</translation>
        </message>
        <message>
            <source>ferritin</source>
            <comment>term.test.ferritin</comment>
            <translation>铁蛋白</translation>
        </message>
        <message>
            <source>il6</source>
            <comment>term.test.il6</comment>
            <translation>IL-6</translation>
        </message>
        <message>
            <source>bilirubin</source>
            <comment>term.test.bilirubin</comment>
            <translation>胆红素</translation>
        </message>
        <message>
            <source>creatinine</source>
            <comment>term.test.creatinine</comment>
            <translation>肌酐</translation>
        </message>
        <message>
            <source>car_t_pct</source>
            <comment>term.test.car_t_pct</comment>
            <translation>CAR-T细胞%</translation>
        </message>
        <message>
            <source>tcr_pct</source>
            <comment>term.test.tcr_pct</comment>
            <translation>TCR%</translation>
        </message>
        <message>
            <source>CRS</source>
            <comment>term.assessment.crs</comment>
            <translation>细胞因子释放综合征（CRS）</translation>
        </message>
        <message>
            <source>ICANS</source>
            <comment>term.assessment.icans</comment>
            <translation>免疫效应细胞相关神经毒性综合征（ICANS）</translation>
        </message>
        <message>
            <source>Acute GVHD</source>
            <comment>term.assessment.agvhd</comment>
            <translation>急性移植物抗宿主病</translation>
        </message>
        <message>
            <source>Chronic GVHD</source>
            <comment>term.assessment.cgvhd</comment>
            <translation>慢性移植物抗宿主病</translation>
        </message>
        <message>
            <source>negative</source>
            <comment>term.mrd.negative</comment>
            <translation>阴性</translation>
        </message>
        <message>
            <source>positive</source>
            <comment>term.mrd.positive</comment>
            <translation>阳性</translation>
        </message>
        <message>
            <source>not evaluable</source>
            <comment>term.mrd.not_evaluable</comment>
            <translation>无法评估</translation>
        </message>
        <message>
            <source>Marrow</source>
            <comment>term.timeline.marrow</comment>
            <translation>骨髓</translation>
        </message>
        <message>
            <source>Labs</source>
            <comment>term.timeline.labs</comment>
            <translation>化验</translation>
        </message>
        <message>
            <source>Height/weight</source>
            <comment>term.timeline.height_weight</comment>
            <translation>身高/体重</translation>
        </message>
    </context>
    <context>
        <name>validation</name>
        <message>
            <source>only {who} may {action}</source>
            <comment>validation.permission.only_role</comment>
            <translation>只有{who}可以{action}</translation>
        </message>
        <message>
            <source>a nurse</source>
            <comment>validation.permission.role.nurse</comment>
            <translation>护士</translation>
        </message>
        <message>
            <source>a physician</source>
            <comment>validation.permission.role.physician</comment>
            <translation>医师</translation>
        </message>
        <message>
            <source>an admin</source>
            <comment>validation.permission.role.admin</comment>
            <translation>管理员</translation>
        </message>
        <message>
            <source>void assessments</source>
            <comment>validation.permission.void_assessments</comment>
            <translation>作废评估</translation>
        </message>
        <message>
            <source>manage users</source>
            <comment>validation.permission.manage_users</comment>
            <translation>管理用户</translation>
        </message>
        <message>
            <source>restore the database</source>
            <comment>validation.permission.restore_database</comment>
            <translation>恢复数据库</translation>
        </message>
        <message>
            <source>back up the database</source>
            <comment>validation.permission.backup_database</comment>
            <translation>备份数据库</translation>
        </message>
        <message>
            <source>password: at least {count} characters</source>
            <comment>validation.password.too_short</comment>
            <translation>密码：至少 {count} 个字符</translation>
        </message>
        <message>
            <source>password: no spaces at the start or end</source>
            <comment>validation.password.spaces</comment>
            <translation>密码：开头和结尾不能有空格</translation>
        </message>
        <message>
            <source>user name</source>
            <comment>validation.field.user_name</comment>
            <translation>用户名</translation>
        </message>
        <message>
            <source>display name</source>
            <comment>validation.field.display_name</comment>
            <translation>显示名称</translation>
        </message>
        <message>
            <source>voiding an item</source>
            <comment>validation.signature.void</comment>
            <translation>作废条目</translation>
        </message>
        <message>
            <source>correcting a graded assessment</source>
            <comment>validation.signature.correct</comment>
            <translation>更正已分级的评估</translation>
        </message>
        <message>
            <source>a signature is needed: {what} asks for the signer's password again</source>
            <comment>validation.signature.missing</comment>
            <translation>需要签名：{what}需要签名人再次输入密码</translation>
        </message>
        <message>
            <source>a signature is needed: {what} needs who signed, the meaning and when</source>
            <comment>validation.signature.incomplete</comment>
            <translation>需要签名：{what}需要签名人、签名含义和签名时间</translation>
        </message>
        <message>
            <source>a signature is needed: signed by {signer}, but {user} is signed in</source>
            <comment>validation.signature.other_user</comment>
            <translation>需要签名：签名人是 {signer}，但当前登录的是 {user}</translation>
        </message>
        <message>
            <source>a bidirectional control character</source>
            <comment>validation.character.bidi_control</comment>
            <translation>双向控制字符</translation>
        </message>
        <message>
            <source>a control character</source>
            <comment>validation.character.control</comment>
            <translation>控制字符</translation>
        </message>
        <message>
            <source>a line separator</source>
            <comment>validation.character.line_separator</comment>
            <translation>行分隔符</translation>
        </message>
        <message>
            <source>contains {kind} (U+{codepoint}) at position {position}; remove it</source>
            <comment>validation.text.refused_character</comment>
            <translation>第 {position} 个字符是{kind}（U+{codepoint}）；请删除</translation>
        </message>
        <message>
            <source>{what}: not valid text (byte 0x{byte}); use only characters that are valid UTF-8</source>
            <comment>validation.argument.undecodable_byte</comment>
            <translation>{what}：不是有效文本（字节 0x{byte}）；只能使用有效的 UTF-8 字符</translation>
        </message>
        <message>
            <source>{what}: not valid text; use only characters that are valid UTF-8</source>
            <comment>validation.argument.undecodable</comment>
            <translation>{what}：不是有效文本；只能使用有效的 UTF-8 字符</translation>
        </message>
        <message>
            <source>is before the birth date</source>
            <comment>validation.patient.before_birth</comment>
            <translation>早于出生日期</translation>
        </message>
        <message>
            <source>needs height_cm or weight_kg</source>
            <comment>validation.measurement.needs_size</comment>
            <translation>需要身高（height_cm）或体重（weight_kg）</translation>
        </message>
        <message>
            <source>lists the same day twice</source>
            <comment>validation.drug.same_day</comment>
            <translation>同一天列出了两次</translation>
        </message>
        <message>
            <source>{count} items; at most {limit} per course</source>
            <comment>validation.course.too_many_drugs</comment>
            <translation>共 {count} 项；每个疗程最多 {limit} 项</translation>
        </message>
        <message>
            <source>is required when days count from the course start</source>
            <comment>validation.course.start_date_needed</comment>
            <translation>天数从疗程开始日计算时为必填项</translation>
        </message>
        <message>
            <source>{unit} is not a unit for {test}; use {units}</source>
            <comment>validation.lab.unit</comment>
            <translation>{unit} 不是 {test} 的单位；请使用 {units}</translation>
        </message>
        <message>
            <source>must be &lt;= {limit} (a percentage)</source>
            <comment>validation.lab.percentage</comment>
            <translation>必须小于或等于 {limit}（百分比）</translation>
        </message>
        <message>
            <source>is above uln</source>
            <comment>validation.lab.lln_above_uln</comment>
            <translation>高于正常值上限（uln）</translation>
        </message>
        <message>
            <source>{mrd} % is below the assay's limit of detection ({lod} %, mrd_lod_pct): an assay cannot report a value it cannot detect; enter 0 for not detected, or check the limit on the report</source>
            <comment>validation.marrow.below_detection</comment>
            <translation>{mrd} % 低于该检测方法的检测下限（{lod} %，mrd_lod_pct）：检测方法无法报告其检测不到的数值；未检出请填 0，或核对报告上的检测下限</translation>
        </message>
        <message>
            <source>is required with a nasal cannula</source>
            <comment>validation.crs.flow_needed</comment>
            <translation>使用鼻导管时为必填项</translation>
        </message>
        <message>
            <source>is {score} but the ICE items add up to {total}</source>
            <comment>validation.icans.ice_sum</comment>
            <translation>为 {score}，但ICE评分各项合计为 {total}</translation>
        </message>
        <message>
            <source>bullae are stage 4 only with a rash over 50% of the body surface</source>
            <comment>validation.agvhd.bullae</comment>
            <translation>仅当皮疹面积超过体表面积的 50% 时，水疱才为4期</translation>
        </message>
        <message>
            <source>give bilirubin in one unit only (mg/dL or µmol/L)</source>
            <comment>validation.agvhd.bilirubin_units</comment>
            <translation>胆红素只能用一种单位填写（mg/dL 或 µmol/L）</translation>
        </message>
        <message>
            <source>{count} items; at most {limit} per record</source>
            <comment>validation.record.too_many_items</comment>
            <translation>共 {count} 项；每份病历最多 {limit} 项</translation>
        </message>
        <message>
            <source>the file must hold one JSON object (a hemalog record)</source>
            <comment>validation.record.not_object</comment>
            <translation>文件必须包含一个 JSON 对象（一份 hemalog 病历）</translation>
        </message>
        <message>
            <source>must be {expected}; got {value}</source>
            <comment>validation.record.format</comment>
            <translation>必须是 {expected}；实际为 {value}</translation>
        </message>
        <message>
            <source>must be {version} (this hemalog reads version {version}); got {value}</source>
            <comment>validation.record.version</comment>
            <translation>必须是 {version}（此版本 hemalog 读取第 {version} 版格式）；实际为 {value}</translation>
        </message>
        <message>
            <source>must be a list</source>
            <comment>validation.record.not_list</comment>
            <translation>必须是列表</translation>
        </message>
        <message>
            <source>not a regimen template (template: {format})</source>
            <comment>validation.regimen.not_a_template</comment>
            <translation>不是方案模板（template: {format}）</translation>
        </message>
        <message>
            <source>unknown keys: {keys}</source>
            <comment>validation.regimen.unknown_keys</comment>
            <translation>未知键：{keys}</translation>
        </message>
        <message>
            <source>every template names the source of its doses</source>
            <comment>validation.regimen.no_source</comment>
            <translation>每个模板都须注明其剂量来源</translation>
        </message>
        <message>
            <source>{path}: {message}</source>
            <comment>validation.line</comment>
            <translation>{path}：{message}</translation>
        </message>
        <message>
            <source>must be {expected}, not {actual}</source>
            <comment>validation.wrong_type</comment>
            <translation>必须是{expected}，而不是{actual}</translation>
        </message>
        <message>
            <source>text</source>
            <comment>validation.type.text</comment>
            <translation>文本</translation>
        </message>
        <message>
            <source>a number</source>
            <comment>validation.type.number</comment>
            <translation>数字</translation>
        </message>
        <message>
            <source>a whole number</source>
            <comment>validation.type.whole_number</comment>
            <translation>整数</translation>
        </message>
        <message>
            <source>true or false</source>
            <comment>validation.type.true_or_false</comment>
            <translation>布尔值（true 或 false）</translation>
        </message>
        <message>
            <source>true/false</source>
            <comment>validation.type.true_false</comment>
            <translation>布尔值（true/false）</translation>
        </message>
        <message>
            <source>a date (YYYY-MM-DD)</source>
            <comment>validation.type.date</comment>
            <translation>日期（YYYY-MM-DD）</translation>
        </message>
        <message>
            <source>a list</source>
            <comment>validation.type.list</comment>
            <translation>列表</translation>
        </message>
        <message>
            <source>an object</source>
            <comment>validation.type.object</comment>
            <translation>对象</translation>
        </message>
        <message>
            <source>null</source>
            <comment>validation.type.null</comment>
            <translation>空值（null）</translation>
        </message>
        <message>
            <source>contains characters that are not valid text</source>
            <comment>validation.text.invalid</comment>
            <translation>含有无效的文本字符</translation>
        </message>
        <message>
            <source>must not be empty</source>
            <comment>validation.text.empty</comment>
            <translation>不能为空</translation>
        </message>
        <message>
            <source>is too long (more than {limit} characters)</source>
            <comment>validation.text.too_long</comment>
            <translation>过长（超过 {limit} 个字符）</translation>
        </message>
        <message>
            <source>must be a finite number</source>
            <comment>validation.number.not_finite</comment>
            <translation>必须是有限的数字</translation>
        </message>
        <message>
            <source>is too large to be a real value</source>
            <comment>validation.number.too_large</comment>
            <translation>数值过大，不可能是真实值</translation>
        </message>
        <message>
            <source>must be &gt; {limit}</source>
            <comment>validation.number.gt</comment>
            <translation>必须大于 {limit}</translation>
        </message>
        <message>
            <source>must be &gt;= {limit}</source>
            <comment>validation.number.ge</comment>
            <translation>必须大于或等于 {limit}</translation>
        </message>
        <message>
            <source>must be &lt;= {limit}</source>
            <comment>validation.number.le</comment>
            <translation>必须小于或等于 {limit}</translation>
        </message>
        <message>
            <source>must be &lt; {limit}</source>
            <comment>validation.number.lt</comment>
            <translation>必须小于 {limit}</translation>
        </message>
        <message>
            <source>must be a whole number</source>
            <comment>validation.number.not_whole</comment>
            <translation>必须是整数</translation>
        </message>
        <message>
            <source>must be a date written YYYY-MM-DD, not {value}</source>
            <comment>validation.date.shape</comment>
            <translation>必须是 YYYY-MM-DD 格式的日期，而不是 {value}</translation>
        </message>
        <message>
            <source>is not a real calendar date: {value}</source>
            <comment>validation.date.not_real</comment>
            <translation>不是有效的日历日期：{value}</translation>
        </message>
        <message>
            <source>must be one of {allowed}; got {value}</source>
            <comment>validation.one_of</comment>
            <translation>必须是以下之一：{allowed}；实际为 {value}</translation>
        </message>
        <message>
            <source>must have at least {count} item</source>
            <comment>validation.list.too_few_one</comment>
            <translation>至少需要 {count} 项</translation>
        </message>
        <message>
            <source>must have at least {count} items</source>
            <comment>validation.list.too_few</comment>
            <translation>至少需要 {count} 项</translation>
        </message>
        <message>
            <source>has an empty or invalid key</source>
            <comment>validation.map.bad_key</comment>
            <translation>含有空的或无效的键</translation>
        </message>
        <message>
            <source>the key {key} {problem}</source>
            <comment>validation.map.key_refused</comment>
            <translation>键 {key} {problem}</translation>
        </message>
        <message>
            <source>unknown key (known keys: {known})</source>
            <comment>validation.object.unknown_key</comment>
            <translation>未知的键（已知的键：{known}）</translation>
        </message>
        <message>
            <source>is required</source>
            <comment>validation.required</comment>
            <translation>为必填项</translation>
        </message>
        <message>
            <source>must not be null</source>
            <comment>validation.not_null</comment>
            <translation>不能为空值（null）</translation>
        </message>
    </context>
</TS>
