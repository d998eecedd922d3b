<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en_US">
    <context>
        <name>AttractScreen</name>
        <message>
            <source>Open: %1</source>
            <translation>办理时间：%1</translation>
        </message>
        <message>
            <source>Out of service. Please ask the staff for help.</source>
            <translation>暂停服务，请联系工作人员。</translation>
        </message>
        <message>
            <source>Out of service</source>
            <translation>暂停服务</translation>
        </message>
        <message>
            <source>Touch the screen to start</source>
            <translation>请触摸屏幕开始办理</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>开始办理</translation>
        </message>
        <message>
            <source>Getting ready, please wait…</source>
            <translation>正在准备，请稍候…</translation>
        </message>
        <message>
            <source>Please wait</source>
            <translation>请稍候</translation>
        </message>
    </context>
    <context>
        <name>DeviceStatus</name>
        <message>
            <source>ID card reader</source>
            <translation>身份证读卡器</translation>
        </message>
        <message>
            <source>Social security card reader</source>
            <translation>社保卡读卡器</translation>
        </message>
        <message>
            <source>Receipt printer</source>
            <translation>凭条打印机</translation>
        </message>
        <message>
            <source>Camera</source>
            <translation>摄像头</translation>
        </message>
        <message>
            <source>, </source>
            <translation>、</translation>
        </message>
        <message>
            <source>Receipt paper low</source>
            <translation>打印纸将尽</translation>
        </message>
        <message>
            <source>Receipt paper out</source>
            <translation>打印纸已用完</translation>
        </message>
        <message>
            <source>%1 unavailable</source>
            <translation>%1暂不可用</translation>
        </message>
        <message>
            <source>The receipt paper has run out, so receipts cannot be printed for now. You can carry on.</source>
            <translation>凭条打印纸已用完，暂时无法打印凭条。您可以继续办理。</translation>
        </message>
        <message>
            <source>%1 temporarily unavailable. You can carry on browsing; for services that need it, please go to a service counter.</source>
            <translation>%1暂时无法使用。您可以继续浏览；需要用到它的业务，请到人工窗口办理。</translation>
        </message>
        <message>
            <source>The receipt paper has run out</source>
            <translation>打印纸已用完</translation>
        </message>
        <message>
            <source>Under maintenance</source>
            <translation>设备维护中</translation>
        </message>
    </context>
    <context>
        <name>Guide</name>
        <message>
            <source>Not provided. Please ask the staff.</source>
            <translation>暂无，请咨询工作人员。</translation>
        </message>
        <message>
            <source>Can I do it at this kiosk?</source>
            <translation>能否在本机办理</translation>
        </message>
        <message>
            <source>Yes. You can apply for it right here at this kiosk.</source>
            <translation>可以。您可以在这台自助机上直接办理。</translation>
        </message>
        <message>
            <source>Not at this kiosk. Please go to one of these service points:</source>
            <translation>本机暂不能办理，请到以下服务点就近办理：</translation>
        </message>
        <message>
            <source>Address: %1</source>
            <translation>地址：%1</translation>
        </message>
        <message>
            <source>Hours: %1</source>
            <translation>办理时间：%1</translation>
        </message>
        <message>
            <source>Phone: %1</source>
            <translation>咨询电话：%1</translation>
        </message>
        <message>
            <source>Who can apply</source>
            <translation>受理条件</translation>
        </message>
        <message>
            <source>No materials are needed.</source>
            <translation>无需提交材料。</translation>
        </message>
        <message>
            <source>How long it takes</source>
            <translation>办理时限</translation>
        </message>
        <message>
            <source>Legal time limit: %1</source>
            <translation>法定办结时限：%1</translation>
        </message>
        <message>
            <source>Promised time limit: %1</source>
            <translation>承诺办结时限：%1</translation>
        </message>
        <message>
            <source>Fees</source>
            <translation>收费标准</translation>
        </message>
        <message>
            <source>Basis: %1</source>
            <translation>收费依据：%1</translation>
        </message>
        <message>
            <source>A reduction or waiver can be requested.</source>
            <translation>可申请减免。</translation>
        </message>
        <message>
            <source>Where and when</source>
            <translation>办理地点和时间</translation>
        </message>
        <message>
            <source>Also part of these one-thing services</source>
            <translation>相关“一件事”</translation>
        </message>
        <message>
            <source>About this one-thing service</source>
            <translation>“一件事”说明</translation>
        </message>
        <message>
            <source>Lead department: %1</source>
            <translation>牵头部门：%1</translation>
        </message>
        <message numerus="yes">
            <source>%n item(s) handled together</source>
            <translation>
                <numerusform>包含 %n 个事项，一次办理</numerusform>
            </translation>
        </message>
        <message>
            <source>Yes. You can apply for all of it right here at this kiosk.</source>
            <translation>可以。全部事项都可以在这台自助机上办理。</translation>
        </message>
        <message>
            <source>Some items must be done at a service point:</source>
            <translation>以下事项需到服务点办理：</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
        <message>
            <source>Immediate: decided on the spot</source>
            <translation>即办件：当场办结</translation>
        </message>
        <message>
            <source>Promised: decided within the promised time</source>
            <translation>承诺件：在承诺时限内办结</translation>
        </message>
        <message>
            <source>Decided on the spot</source>
            <translation>即办件</translation>
        </message>
        <message>
            <source>Decided within a promised time</source>
            <translation>承诺件</translation>
        </message>
        <message>
            <source>on the spot</source>
            <translation>当场办结</translation>
        </message>
        <message numerus="yes">
            <source>%n working day(s)</source>
            <translation>
                <numerusform>%n 个工作日</numerusform>
            </translation>
        </message>
        <message>
            <source>No visit needed</source>
            <translation>零跑腿</translation>
        </message>
        <message>
            <source>At most one visit</source>
            <translation>最多跑一次</translation>
        </message>
        <message numerus="yes">
            <source>%n visits needed</source>
            <translation>
                <numerusform>需到现场 %n 次</numerusform>
            </translation>
        </message>
        <message>
            <source>Available at this kiosk</source>
            <translation>本机可办</translation>
        </message>
        <message>
            <source>Please go to %1</source>
            <translation>请到%1办理</translation>
        </message>
        <message>
            <source>Please go to a service counter</source>
            <translation>请到窗口办理</translation>
        </message>
        <message>
            <source>Free of charge</source>
            <translation>免费</translation>
        </message>
        <message>
            <source>Electronic</source>
            <translation>电子</translation>
        </message>
        <message>
            <source>Paper or electronic</source>
            <translation>纸质或电子</translation>
        </message>
        <message>
            <source>Paper</source>
            <translation>纸质</translation>
        </message>
        <message>
            <source>No need to bring (shared data)</source>
            <translation>免提交（数据共享获取）</translation>
        </message>
        <message>
            <source>Required</source>
            <translation>必须</translation>
        </message>
        <message>
            <source>Optional</source>
            <translation>非必须</translation>
        </message>
        <message numerus="yes">
            <source>Original × %n</source>
            <translation>
                <numerusform>原件 %n 份</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Copies × %n</source>
            <translation>
                <numerusform>复印件 %n 份</numerusform>
            </translation>
        </message>
        <message>
            <source>Written commitment accepted</source>
            <translation>可告知承诺</translation>
        </message>
        <message>
            <source>One-thing bundle</source>
            <translation>一件事</translation>
        </message>
        <message>
            <source>%1 m away</source>
            <translation>距离 %1 米</translation>
        </message>
        <message>
            <source>%1 km away</source>
            <translation>距离 %1 公里</translation>
        </message>
    </context>
    <context>
        <name>GuideScreen</name>
        <message>
            <source>This service is no longer in the catalog.</source>
            <translation>该事项已不在办事目录中。</translation>
        </message>
        <message numerus="yes">
            <source>What you need to bring (%n)</source>
            <translation>
                <numerusform>申请材料（%n 项）</numerusform>
            </translation>
        </message>
        <message>
            <source>Fee charged</source>
            <translation>收费</translation>
        </message>
        <message numerus="yes">
            <source>What you need to bring, once for all items (%n)</source>
            <translation>
                <numerusform>申请材料（%n 项，相同材料只需提交一次）</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Header</name>
        <message>
            <source>DEMO</source>
            <translation>演示</translation>
        </message>
    </context>
    <context>
        <name>HomeScreen</name>
        <message>
            <source>Hello! What would you like to do?</source>
            <translation>您好！请问您要办理什么业务？</translation>
        </message>
        <message>
            <source>Standard mode</source>
            <translation>标准模式</translation>
        </message>
        <message>
            <source>Senior mode</source>
            <translation>长辈模式</translation>
        </message>
        <message>
            <source>Loading the service catalog…</source>
            <translation>正在加载办事目录…</translation>
        </message>
        <message>
            <source>Popular services</source>
            <translation>热门服务</translation>
        </message>
        <message>
            <source>More popular services</source>
            <translation>更多热门服务</translation>
        </message>
        <message>
            <source>One-thing services: several items in one application</source>
            <translation>一件事一次办</translation>
        </message>
        <message numerus="yes">
            <source>%n item(s) together</source>
            <translation>
                <numerusform>%n 个事项</numerusform>
            </translation>
        </message>
        <message>
            <source>By topic</source>
            <translation>按主题办事</translation>
        </message>
        <message>
            <source>By department</source>
            <translation>按部门办事</translation>
        </message>
        <message numerus="yes">
            <source>All %n departments</source>
            <translation>
                <numerusform>全部 %n 个部门</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n item(s)</source>
            <translation>
                <numerusform>%n 项</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>IdleOverlay</name>
        <message numerus="yes">
            <source>For your privacy, what you entered will be cleared and the kiosk returns to the start screen in %n second(s).</source>
            <translation>
                <numerusform>为保护您的隐私，%n 秒后将清除本次填写的内容并返回首页。</numerusform>
            </translation>
        </message>
        <message>
            <source>Are you still there?</source>
            <translation>您还在办理吗？</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>继续办理</translation>
        </message>
        <message>
            <source>End now</source>
            <translation>结束办理</translation>
        </message>
    </context>
    <context>
        <name>NavBar</name>
        <message>
            <source>Back</source>
            <translation>返回</translation>
        </message>
        <message>
            <source>Home</source>
            <translation>首页</translation>
        </message>
        <message>
            <source>End</source>
            <translation>退出</translation>
        </message>
    </context>
    <context>
        <name>OnScreenKeyboard</name>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>清空</translation>
        </message>
        <message>
            <source>Space</source>
            <translation>空格</translation>
        </message>
    </context>
    <context>
        <name>OutOfServiceScreen</name>
        <message>
            <source>Service paused</source>
            <translation>暂停服务</translation>
        </message>
        <message>
            <source>This self-service kiosk cannot start new services right now. We are sorry for the inconvenience.</source>
            <translation>本机暂时无法办理新的业务，给您带来不便，敬请谅解。</translation>
        </message>
        <message>
            <source>It reopens by itself as soon as it is fixed.</source>
            <translation>问题排除后，本机将自动恢复服务。</translation>
        </message>
        <message>
            <source>Meanwhile you can:</source>
            <translation>您可以：</translation>
        </message>
        <message>
            <source>Go to a service counter: %1, %2</source>
            <translation>前往人工窗口办理：%1（%2）</translation>
        </message>
        <message>
            <source>Phone: %1</source>
            <translation>咨询电话：%1</translation>
        </message>
        <message>
            <source>Opening hours: %1</source>
            <translation>办公时间：%1</translation>
        </message>
        <message>
            <source>Government service hotline: %1</source>
            <translation>政务服务便民热线：%1</translation>
        </message>
        <message>
            <source>Technical details: %1</source>
            <translation>技术信息：%1</translation>
        </message>
    </context>
    <context>
        <name>ResultsScreen</name>
        <message numerus="yes">
            <source>%n item(s)</source>
            <translation>
                <numerusform>%n 项</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n result(s) for “%1”</source>
            <translation>
                <numerusform>“%1”的搜索结果：%n 项</numerusform>
            </translation>
        </message>
        <message>
            <source>Search</source>
            <translation>搜索</translation>
        </message>
        <message>
            <source>Topic: %1</source>
            <translation>主题：%1</translation>
        </message>
        <message>
            <source>Department: %1</source>
            <translation>部门：%1</translation>
        </message>
        <message>
            <source>Popular services</source>
            <translation>热门服务</translation>
        </message>
        <message>
            <source>One-thing services</source>
            <translation>一件事一次办</translation>
        </message>
        <message>
            <source>All departments</source>
            <translation>全部部门</translation>
        </message>
        <message>
            <source>Loading the service catalog…</source>
            <translation>正在加载办事目录…</translation>
        </message>
        <message>
            <source>Type the name of a service, or its pinyin initials (for example sbk).</source>
            <translation>请输入事项名称或拼音首字母（例如 sbk）。</translation>
        </message>
        <message>
            <source>Nothing found. Try other words, or the pinyin initials (for example sbk).</source>
            <translation>没有找到相关事项。请换个说法，或输入拼音首字母（例如 sbk）。</translation>
        </message>
        <message>
            <source>Touch a department to see its services.</source>
            <translation>点击部门，查看该部门的事项。</translation>
        </message>
        <message>
            <source>Touch a service to see what you need.</source>
            <translation>点击事项，查看办理须知。</translation>
        </message>
    </context>
    <context>
        <name>SearchField</name>
        <message>
            <source>Item name or pinyin initials, e.g. sbk</source>
            <translation>输入事项名称或拼音首字母，如 sbk</translation>
        </message>
    </context>
    <context>
        <name>SearchScreen</name>
        <message>
            <source>Tip: type a name (社保卡), full pinyin (shebaoka) or the initials (sbk), or an item code.</source>
            <translation>提示：可以输入事项名称（社保卡）、全拼（shebaoka）、拼音首字母（sbk）或事项编码。</translation>
        </message>
    </context>
</TS>
