<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en_US">
    <context>
        <name>AttractScreen</name>
        <message>
            <source>Open: %1</source>
            <translation>Open: %1</translation>
        </message>
        <message>
            <source>Out of service. Please ask the staff for help.</source>
            <translation>Out of service. Please ask the staff for help.</translation>
        </message>
        <message>
            <source>Out of service</source>
            <translation>Out of service</translation>
        </message>
        <message>
            <source>Touch the screen to start</source>
            <translation>Touch the screen to start</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>Start</translation>
        </message>
        <message>
            <source>Getting ready, please wait…</source>
            <translation>Getting ready, please wait…</translation>
        </message>
        <message>
            <source>Please wait</source>
            <translation>Please wait</translation>
        </message>
    </context>
    <context>
        <name>DeviceStatus</name>
        <message>
            <source>ID card reader</source>
            <translation>ID card reader</translation>
        </message>
        <message>
            <source>Social security card reader</source>
            <translation>Social security card reader</translation>
        </message>
        <message>
            <source>Receipt printer</source>
            <translation>Receipt printer</translation>
        </message>
        <message>
            <source>Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <source>, </source>
            <translation>, </translation>
        </message>
        <message>
            <source>Receipt paper low</source>
            <translation>Receipt paper low</translation>
        </message>
        <message>
            <source>Receipt paper out</source>
            <translation>Receipt paper out</translation>
        </message>
        <message>
            <source>%1 unavailable</source>
            <translation>%1 unavailable</translation>
        </message>
        <message>
            <source>The receipt paper has run out, so receipts cannot be printed for now. You can carry on.</source>
            <translation>The receipt paper has run out, so receipts cannot be printed for now. You can carry on.</translation>
        </message>
        <message>
            <source>%1 temporarily unavailable. You can carry on browsing; for services that need it, please go to a service counter.</source>
            <translation>%1 temporarily unavailable. You can carry on browsing; for services that need it, please go to a service counter.</translation>
        </message>
        <message>
            <source>The receipt paper has run out</source>
            <translation>The receipt paper has run out</translation>
        </message>
        <message>
            <source>Under maintenance</source>
            <translation>Under maintenance</translation>
        </message>
    </context>
    <context>
        <name>Guide</name>
        <message>
            <source>Not provided. Please ask the staff.</source>
            <translation>Not provided. Please ask the staff.</translation>
        </message>
        <message>
            <source>Can I do it at this kiosk?</source>
            <translation>Can I do it at this kiosk?</translation>
        </message>
        <message>
            <source>Yes. You can apply for it right here at this kiosk.</source>
            <translation>Yes. You can apply for it right here at this kiosk.</translation>
        </message>
        <message>
            <source>Not at this kiosk. Please go to one of these service points:</source>
            <translation>Not at this kiosk. Please go to one of these service points:</translation>
        </message>
        <message>
            <source>Address: %1</source>
            <translation>Address: %1</translation>
        </message>
        <message>
            <source>Hours: %1</source>
            <translation>Hours: %1</translation>
        </message>
        <message>
            <source>Phone: %1</source>
            <translation>Phone: %1</translation>
        </message>
        <message>
            <source>Who can apply</source>
            <translation>Who can apply</translation>
        </message>
        <message>
            <source>No materials are needed.</source>
            <translation>No materials are needed.</translation>
        </message>
        <message>
            <source>How long it takes</source>
            <translation>How long it takes</translation>
        </message>
        <message>
            <source>Legal time limit: %1</source>
            <translation>Legal time limit: %1</translation>
        </message>
        <message>
            <source>Promised time limit: %1</source>
            <translation>Promised time limit: %1</translation>
        </message>
        <message>
            <source>Fees</source>
            <translation>Fees</translation>
        </message>
        <message>
            <source>Basis: %1</source>
            <translation>Basis: %1</translation>
        </message>
        <message>
            <source>A reduction or waiver can be requested.</source>
            <translation>A reduction or waiver can be requested.</translation>
        </message>
        <message>
            <source>Where and when</source>
            <translation>Where and when</translation>
        </message>
        <message>
            <source>Also part of these one-thing services</source>
            <translation>Also part of these one-thing services</translation>
        </message>
        <message>
            <source>About this one-thing service</source>
            <translation>About this one-thing service</translation>
        </message>
        <message>
            <source>Lead department: %1</source>
            <translation>Lead department: %1</translation>
        </message>
        <message numerus="yes">
            <source>%n item(s) handled together</source>
            <translation>
                <numerusform>%n item handled together</numerusform>
                <numerusform>%n items handled together</numerusform>
            </translation>
        </message>
        <message>
            <source>Yes. You can apply for all of it right here at this kiosk.</source>
            <translation>Yes. You can apply for all of it right here at this kiosk.</translation>
        </message>
        <message>
            <source>Some items must be done at a service point:</source>
            <translation>Some items must be done at a service point:</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>Immediate: decided on the spot</source>
            <translation>Immediate: decided on the spot</translation>
        </message>
        <message>
            <source>Promised: decided within the promised time</source>
            <translation>Promised: decided within the promised time</translation>
        </message>
        <message>
            <source>Decided on the spot</source>
            <translation>Decided on the spot</translation>
        </message>
        <message>
            <source>Decided within a promised time</source>
            <translation>Decided within a promised time</translation>
        </message>
        <message>
            <source>on the spot</source>
            <translation>on the spot</translation>
        </message>
        <message numerus="yes">
            <source>%n working day(s)</source>
            <translation>
                <numerusform>%n working day</numerusform>
                <numerusform>%n working days</numerusform>
            </translation>
        </message>
        <message>
            <source>No visit needed</source>
            <translation>No visit needed</translation>
        </message>
        <message>
            <source>At most one visit</source>
            <translation>At most one visit</translation>
        </message>
        <message numerus="yes">
            <source>%n visits needed</source>
            <translation>
                <numerusform>%n visit needed</numerusform>
                <numerusform>%n visits needed</numerusform>
            </translation>
        </message>
        <message>
            <source>Available at this kiosk</source>
            <translation>Available at this kiosk</translation>
        </message>
        <message>
            <source>Please go to %1</source>
            <translation>Please go to %1</translation>
        </message>
        <message>
            <source>Please go to a service counter</source>
            <translation>Please go to a service counter</translation>
        </message>
        <message>
            <source>Free of charge</source>
            <translation>Free of charge</translation>
        </message>
        <message>
            <source>Electronic</source>
            <translation>Electronic</translation>
        </message>
        <message>
            <source>Paper or electronic</source>
            <translation>Paper or electronic</translation>
        </message>
        <message>
            <source>Paper</source>
            <translation>Paper</translation>
        </message>
        <message>
            <source>No need to bring (shared data)</source>
            <translation>No need to bring (shared data)</translation>
        </message>
        <message>
            <source>Required</source>
            <translation>Required</translation>
        </message>
        <message>
            <source>Optional</source>
            <translation>Optional</translation>
        </message>
        <message numerus="yes">
            <source>Original × %n</source>
            <translation>
                <numerusform>Original × %n</numerusform>
                <numerusform>Originals × %n</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Copies × %n</source>
            <translation>
                <numerusform>Copy × %n</numerusform>
                <numerusform>Copies × %n</numerusform>
            </translation>
        </message>
        <message>
            <source>Written commitment accepted</source>
            <translation>Written commitment accepted</translation>
        </message>
        <message>
            <source>One-thing bundle</source>
            <translation>One-thing bundle</translation>
        </message>
        <message>
            <source>%1 m away</source>
            <translation>%1 m away</translation>
        </message>
        <message>
            <source>%1 km away</source>
            <translation>%1 km away</translation>
        </message>
    </context>
    <context>
        <name>GuideScreen</name>
        <message>
            <source>This service is no longer in the catalog.</source>
            <translation>This service is no longer in the catalog.</translation>
        </message>
        <message numerus="yes">
            <source>What you need to bring (%n)</source>
            <translation>
                <numerusform>What you need to bring (%n)</numerusform>
                <numerusform>What you need to bring (%n)</numerusform>
            </translation>
        </message>
        <message>
            <source>Fee charged</source>
            <translation>Fee charged</translation>
        </message>
        <message numerus="yes">
            <source>What you need to bring, once for all items (%n)</source>
            <translation>
                <numerusform>What you need to bring, once for all items (%n)</numerusform>
                <numerusform>What you need to bring, once for all items (%n)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Header</name>
        <message>
            <source>DEMO</source>
            <translation>DEMO</translation>
        </message>
    </context>
    <context>
        <name>HomeScreen</name>
        <message>
            <source>Hello! What would you like to do?</source>
            <translation>Hello! What would you like to do?</translation>
        </message>
        <message>
            <source>Standard mode</source>
            <translation>Standard mode</translation>
        </message>
        <message>
            <source>Senior mode</source>
            <translation>Senior mode</translation>
        </message>
        <message>
            <source>Loading the service catalog…</source>
            <translation>Loading the service catalog…</translation>
        </message>
        <message>
            <source>Popular services</source>
            <translation>Popular services</translation>
        </message>
        <message>
            <source>More popular services</source>
            <translation>More popular services</translation>
        </message>
        <message>
            <source>One-thing services: several items in one application</source>
            <translation>One-thing services: several items in one application</translation>
        </message>
        <message numerus="yes">
            <source>%n item(s) together</source>
            <translation>
                <numerusform>%n item together</numerusform>
                <numerusform>%n items together</numerusform>
            </translation>
        </message>
        <message>
            <source>By topic</source>
            <translation>By topic</translation>
        </message>
        <message>
            <source>By department</source>
            <translation>By department</translation>
        </message>
        <message numerus="yes">
            <source>All %n departments</source>
            <translation>
                <numerusform>All %n departments</numerusform>
                <numerusform>All %n departments</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n item(s)</source>
            <translation>
                <numerusform>%n item</numerusform>
                <numerusform>%n items</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>IdleOverlay</name>
        <message numerus="yes">
            <source>For your privacy, what you entered will be cleared and the kiosk returns to the start screen in %n second(s).</source>
            <translation>
                <numerusform>For your privacy, what you entered will be cleared and the kiosk returns to the start screen in %n second.</numerusform>
                <numerusform>For your privacy, what you entered will be cleared and the kiosk returns to the start screen in %n seconds.</numerusform>
            </translation>
        </message>
        <message>
            <source>Are you still there?</source>
            <translation>Are you still there?</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>Continue</translation>
        </message>
        <message>
            <source>End now</source>
            <translation>End now</translation>
        </message>
    </context>
    <context>
        <name>NavBar</name>
        <message>
            <source>Back</source>
            <translation>Back</translation>
        </message>
        <message>
            <source>Home</source>
            <translation>Home</translation>
        </message>
        <message>
            <source>End</source>
            <translation>End</translation>
        </message>
    </context>
    <context>
        <name>OnScreenKeyboard</name>
        <message>
            <source>Delete</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>Clear</translation>
        </message>
        <message>
            <source>Space</source>
            <translation>Space</translation>
        </message>
    </context>
    <context>
        <name>OutOfServiceScreen</name>
        <message>
            <source>Service paused</source>
            <translation>Service paused</translation>
        </message>
        <message>
            <source>This self-service kiosk cannot start new services right now. We are sorry for the inconvenience.</source>
            <translation>This self-service kiosk cannot start new services right now. We are sorry for the inconvenience.</translation>
        </message>
        <message>
            <source>It reopens by itself as soon as it is fixed.</source>
            <translation>It reopens by itself as soon as it is fixed.</translation>
        </message>
        <message>
            <source>Meanwhile you can:</source>
            <translation>Meanwhile you can:</translation>
        </message>
        <message>
            <source>Go to a service counter: %1, %2</source>
            <translation>Go to a service counter: %1, %2</translation>
        </message>
        <message>
            <source>Phone: %1</source>
            <translation>Phone: %1</translation>
        </message>
        <message>
            <source>Opening hours: %1</source>
            <translation>Opening hours: %1</translation>
        </message>
        <message>
            <source>Government service hotline: %1</source>
            <translation>Government service hotline: %1</translation>
        </message>
        <message>
            <source>Technical details: %1</source>
            <translation>Technical details: %1</translation>
        </message>
    </context>
    <context>
        <name>ResultsScreen</name>
        <message numerus="yes">
            <source>%n item(s)</source>
            <translation>
                <numerusform>%n item</numerusform>
                <numerusform>%n items</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n result(s) for “%1”</source>
            <translation>
                <numerusform>%n result for “%1”</numerusform>
                <numerusform>%n results for “%1”</numerusform>
            </translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>Topic: %1</source>
            <translation>Topic: %1</translation>
        </message>
        <message>
            <source>Department: %1</source>
            <translation>Department: %1</translation>
        </message>
        <message>
            <source>Popular services</source>
            <translation>Popular services</translation>
        </message>
        <message>
            <source>One-thing services</source>
            <translation>One-thing services</translation>
        </message>
        <message>
            <source>All departments</source>
            <translation>All departments</translation>
        </message>
        <message>
            <source>Loading the service catalog…</source>
            <translation>Loading the service catalog…</translation>
        </message>
        <message>
            <source>Type the name of a service, or its pinyin initials (for example sbk).</source>
            <translation>Type the name of a service, or its pinyin initials (for example sbk).</translation>
        </message>
        <message>
            <source>Nothing found. Try other words, or the pinyin initials (for example sbk).</source>
            <translation>Nothing found. Try other words, or the pinyin initials (for example sbk).</translation>
        </message>
        <message>
            <source>Touch a department to see its services.</source>
            <translation>Touch a department to see its services.</translation>
        </message>
        <message>
            <source>Touch a service to see what you need.</source>
            <translation>Touch a service to see what you need.</translation>
        </message>
    </context>
    <context>
        <name>SearchField</name>
        <message>
            <source>Item name or pinyin initials, e.g. sbk</source>
            <translation>Item name or pinyin initials, e.g. sbk</translation>
        </message>
    </context>
    <context>
        <name>SearchScreen</name>
        <message>
            <source>Tip: type a name (社保卡), full pinyin (shebaoka) or the initials (sbk), or an item code.</source>
            <translation>Tip: type a name (社保卡), full pinyin (shebaoka) or the initials (sbk), or an item code.</translation>
        </message>
    </context>
</TS>
