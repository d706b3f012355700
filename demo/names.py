"""Word lists for the demo district. Plain data, no logic: edit freely to change the flavour."""

FIRST_NAMES = (
    "Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "David", "Elizabeth", "William",
    "Susan", "Richard", "Jessica", "Joseph", "Sarah", "Thomas", "Karen", "Charles", "Nancy", "Daniel",
    "Lisa", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Ashley", "Donald", "Kimberly", "Steven",
    "Emily", "Paul", "Donna", "Andrew", "Michelle", "Joshua", "Carol", "Kenneth", "Amanda", "Kevin",
    "Melissa", "Brian", "Deborah", "George", "Stephanie", "Timothy", "Rebecca", "Ronald", "Laura", "Jason",
    "Sharon", "Jeffrey", "Cynthia", "Ryan", "Kathleen", "Jacob", "Amy", "Gary", "Angela", "Nicholas",
    "Shirley", "Eric", "Anna", "Jonathan", "Brenda", "Stephen", "Pamela", "Larry", "Nicole", "Justin",
    "Samantha", "Scott", "Katherine", "Brandon", "Emma", "Benjamin", "Ruth", "Samuel", "Christine", "Gregory",
    "Catherine", "Alexander", "Debra", "Frank", "Rachel", "Raymond", "Carolyn", "Patrick", "Janet", "Jack",
    "Guadalupe", "Luis", "Rosa", "Carlos", "Ana", "Jorge", "Lucia", "Miguel", "Mei", "Wei", "Priya", "Arjun",
    "Aisha", "Omar", "Fatima", "Hiroshi", "Yuki", "Nguyen", "Linh", "Kwame", "Ama", "Ingrid", "Lars",
)  # fmt: skip

LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
    "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
    "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
    "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
    "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
    "Okafor", "Mensah", "Tanaka", "Chen", "Wang", "Singh", "Haddad", "Novak", "Larsen", "Olsen",
)  # fmt: skip

# Stems that become "<stem> Elementary", "<stem> Middle", "<stem> High".
ELEMENTARY_STEMS = (
    "Jefferson", "Lincoln", "Washington", "Adams", "Madison", "Franklin", "Garfield", "Hawthorne", "Irving",
    "Longfellow", "Whittier", "Emerson", "Lowell", "Bryant", "Field", "Grant", "Hayes", "McKinley", "Monroe",
    "Jackson", "Oak Grove", "Maple Ridge", "Cedar Park", "Willow Creek", "Pine Hill", "Sunnyside", "Meadowbrook",
    "Lakeview", "Riverside", "Brookside", "Fairview", "Hillcrest", "Highland", "Parkside", "Prairie View",
    "Eastwood", "Westwood", "Northview", "Southgate", "Greenfield", "Clearwater", "Stonebridge", "Rosewood",
    "Harmony", "Liberty", "Discovery", "Heritage", "Pioneer", "Sequoia", "Aspen",
)  # fmt: skip
MIDDLE_STEMS = (
    "Roosevelt", "Kennedy", "Truman", "Eisenhower", "Carver", "Parks", "Chavez", "King", "Douglass", "Tubman",
    "Edison", "Curie", "Einstein", "Armstrong", "Earhart", "Hamilton",
)  # fmt: skip
HIGH_STEMS = ("Central", "North", "South", "East", "West", "Valley", "Summit", "Lakeside", "Ridgeview", "Mesa")
OTHER_SCHOOLS = (
    "Riverside Alternative Academy",
    "Early Childhood Center",
    "Career & Technical Center",
    "Adult Education Center",
    "Virtual Learning Academy",
)

STREETS = (
    "Oak", "Maple", "Cedar", "Elm", "Pine", "Washington", "Lincoln", "Park", "Lake", "Hill", "Main", "Church",
    "Walnut", "Spring", "Ridge", "Meadow", "Forest", "River", "Sunset", "Highland", "Franklin", "Jackson",
)  # fmt: skip
STREET_KINDS = ("Street", "Avenue", "Road", "Drive", "Boulevard", "Lane", "Way")
CITY = "Riverside, IL"

ROOMS = ("Library", "Gym", "Main office", "Computer lab", "Music room", "Art room", "Cafeteria", "Nurse's office")

# Demo category slug -> ticket (title, description) pairs. Titles read like a teacher typed them.
TICKET_TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    "device": (
        ("Chromebook will not charge", "A student's Chromebook shows no light when plugged in; we tried two chargers."),
        ("Laptop screen is cracked", "My teacher laptop fell off the cart and the screen has a crack across it."),
        ("Classroom computer is very slow", "The desktop by my board takes five minutes to open anything."),
        ("Keyboard keys not working", "Several keys on the keyboard at station 4 do nothing."),
        ("iPad stuck on the Apple logo", "One of the kindergarten iPads will not start past the logo."),
        ("Cart of Chromebooks missing chargers", "Cart B has 30 Chromebooks and only 22 chargers."),
        ("Mouse stopped working", "The mouse on my desk computer does not move the pointer."),
        ("Computer shuts off by itself", "My computer turns off in the middle of lessons, about twice a day."),
    ),
    "software": (
        ("Need reading program installed", "Please install the reading intervention program on the 6 lab computers."),
        ("Browser keeps crashing", "Chrome closes every time I open our grade book."),
        ("Update message will not go away", "A window asks to update every few minutes and I cannot finish it."),
        ("Math app shows an error", "Students get an error when they open the math practice app."),
        ("Cannot open PDF files", "PDFs open as a blank page on my laptop."),
        ("Need the science simulation software", "Our new unit needs the simulation software on the lab computers."),
    ),
    "account": (
        ("Locked out of my account", "I typed my password wrong and now I cannot sign in at all."),
        ("Student cannot sign in", "A new student in my class has no account yet."),
        ("Password reset for substitute", "Our long-term sub needs their password reset before Monday."),
        ("Cannot access the grade book", "The grade book says I do not have permission for my section."),
        ("Email not syncing on phone", "My school email stopped showing up on my phone."),
        ("Shared drive folder missing", "The grade-level shared folder is gone from my drive."),
    ),
    "network": (
        ("Wi-Fi drops in my classroom", "The wireless disconnects every few minutes in room 14."),
        ("No internet in the library", "None of the library computers can reach any website."),
        ("Website blocked that we need", "The science video site is blocked by the filter."),
        ("Very slow internet during testing", "Pages take a minute to load when the whole class is online."),
        ("Network port not working", "The wall jack by my desk gives no connection."),
    ),
    "printer": (
        ("Printer says paper jam but none", "The hallway printer shows a jam but there is no paper inside."),
        ("Cannot print from my laptop", "My laptop does not list the workroom printer anymore."),
        ("Copier prints streaks", "Every copy from the workroom copier has a black streak down the side."),
        ("Printer out of toner", "The office printer says toner is empty and we have no spare."),
        ("Color printer printing blank pages", "The color printer feeds paper but prints nothing."),
    ),
    "av": (
        ("Projector will not turn on", "The lamp light blinks orange and nothing shows on the board."),
        ("No sound from the smart board", "Videos play but there is no sound from the speakers."),
        ("Document camera not showing", "The document camera shows a blue screen on the projector."),
        ("Interactive board touch is off", "When I touch the board the pen lands several inches away."),
        ("Microphone for assembly not working", "The gym microphone cuts out; assembly is on Friday."),
        ("HDMI cable not detected", "My laptop does not show on the TV when I plug in the cable."),
    ),
    "phone": (
        ("Classroom phone has no dial tone", "The phone in my room is silent when I pick it up."),
        ("Voicemail password reset", "I forgot my voicemail code and cannot hear my messages."),
        ("Intercom not reaching my room", "Announcements are not heard in the portable classrooms."),
        ("Phone shows wrong extension", "My phone display shows the previous teacher's name and extension."),
    ),
}

RESOLUTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "device": (
        ("Replaced the charging port.", "If a charger shows no light, try another outlet first, then send a ticket."),
        ("Reimaged the device.", "Restart once a week; it clears updates that pile up."),
        ("Swapped the device from the spare pool.", "Keep the asset tag visible so we can match devices fast."),
    ),
    "software": (
        (
            "Installed the program on the requested computers.",
            "You can install approved apps from the Software Center.",
        ),
        ("Cleared the browser profile and updated Chrome.", "Clearing cache in Settings > Privacy fixes most of this."),
    ),
    "account": (
        ("Unlocked the account and reset the password.", "Use the self-service reset page with your phone number."),
        ("Created the account and added it to the class.", "New students appear the day after enrollment is entered."),
    ),
    "network": (
        ("Replaced the access point in the room.", "If Wi-Fi drops, note the time; it helps us find the cause."),
        ("Unblocked the site after review.", "Ask for a site review with the link and the lesson it is for."),
    ),
    "printer": (
        ("Cleared a scrap of paper from the rear tray.", "Open the rear door to find hidden jams."),
        ("Re-added the printer to the laptop.", "Add printers from Settings > Printers > Add school printer."),
    ),
    "av": (
        ("Replaced the projector lamp.", "Let the projector cool before unplugging; lamps last longer."),
        ("Selected the right input on the display.", "Press Input on the remote until your laptop shows."),
    ),
    "phone": (
        ("Reset the handset and re-registered the line.", "Unplug and replug the phone once before calling us."),
        ("Reset the voicemail code.", "Voicemail codes can be changed from the phone's menu."),
    ),
}

STAFF_REPLIES = (
    "Thanks for letting us know. I'm looking into it now.",
    "I can take a look remotely. Are you free in the next hour?",
    "I'll stop by on my next visit to your school.",
    "Could you send me the asset tag on the bottom of the device?",
    "I've ordered the part; I'll update you when it arrives.",
    "Can you try restarting it and tell me what you see?",
)
REQUESTER_REPLIES = (
    "Thank you! It's working again.",
    "I restarted it but it still does the same thing.",
    "The asset tag is on the sticker, I'll send a photo.",
    "I'm in class until 2:30, after that works.",
    "Any update on this? The class needs it for Friday.",
)
INTERNAL_NOTES = (
    "Same issue as last month in this room; check the cabling.",
    "Warranty still valid, open a vendor case.",
    "Requester prefers a phone call over email.",
    "Spare pool at this school is empty, bring one from the depot.",
)

# What fixed each kind of request (TICKET_TEXTS titles): the resolution and the
# "next time" tip a technician writes for it, so a history's fix answers its title.
RESOLUTION_FOR_TITLE: dict[str, tuple[str, str]] = {
    "Chromebook will not charge": (
        "Replaced the charging port.",
        "If a charger shows no light, try another outlet first, then send a ticket.",
    ),
    "Laptop screen is cracked": (
        "Replaced the screen and checked the hinges.",
        "Carry laptops closed and with both hands; the cart's top shelf is the safest.",
    ),
    "Classroom computer is very slow": (
        "Reimaged the computer and removed old profiles.",
        "Restart once a week; it clears updates that pile up.",
    ),
    "Keyboard keys not working": ("Replaced the keyboard.", "Keep drinks off the station desks."),
    "iPad stuck on the Apple logo": (
        "Restored the iPad and put it back in the class profile.",
        "Hold the top and home buttons for ten seconds to restart a frozen iPad.",
    ),
    "Cart of Chromebooks missing chargers": (
        "Brought eight chargers from the spare pool and labeled them for Cart B.",
        "Label chargers with the cart letter so they come back to it.",
    ),
    "Mouse stopped working": ("Replaced the mouse.", "Try another USB port first; a loose plug is common."),
    "Computer shuts off by itself": (
        "Cleaned the dust from the fan and replaced the power supply.",
        "Keep the vents clear of papers and the wall.",
    ),
    "Need reading program installed": (
        "Installed the program on the requested computers.",
        "You can install approved apps from the Software Center.",
    ),
    "Browser keeps crashing": (
        "Cleared the browser profile and updated Chrome.",
        "Clearing cache in Settings > Privacy fixes most of this.",
    ),
    "Update message will not go away": (
        "Ran the pending updates and restarted the computer.",
        "Let updates finish before shutting down at the end of the day.",
    ),
    "Math app shows an error": (
        "Reinstalled the math app and signed it in again.",
        "Sign out and back in to the app before reporting an error.",
    ),
    "Cannot open PDF files": (
        "Set the PDF reader as the default program again.",
        "Right-click the file, choose Open with, and pick the PDF reader.",
    ),
    "Need the science simulation software": (
        "Installed the simulation software in the science lab.",
        "You can install approved apps from the Software Center.",
    ),
    "Locked out of my account": (
        "Unlocked the account and reset the password.",
        "Use the self-service reset page with your phone number.",
    ),
    "Student cannot sign in": (
        "Created the account and added it to the class.",
        "New students appear the day after enrollment is entered.",
    ),
    "Password reset for substitute": (
        "Reset the substitute account's password for the week.",
        "The front office can print the substitute sign-in sheet.",
    ),
    "Cannot access the grade book": (
        "Added the teacher to the course section in the grade book.",
        "Section changes reach the grade book overnight.",
    ),
    "Email not syncing on phone": (
        "Removed and added the school account on the phone.",
        "After a password change, update it on your phone too.",
    ),
    "Shared drive folder missing": (
        "Restored the folder and its sharing from the drive's trash.",
        "Deleted shared items stay in the owner's trash for 30 days.",
    ),
    "Wi-Fi drops in my classroom": (
        "Replaced the access point in the room.",
        "Forget the network and join it again if a device keeps dropping.",
    ),
    "No internet in the library": (
        "Restarted the library switch and replaced a failed cable.",
        "Check whether other rooms are affected and say so in the request.",
    ),
    "Website blocked that we need": (
        "Unblocked the site after review.",
        "Send the full address of the site and what the class uses it for.",
    ),
    "Very slow internet during testing": (
        "Limited video streaming during testing hours.",
        "Tell us testing dates a week ahead so we can plan bandwidth.",
    ),
    "Network port not working": (
        "Patched the wall port to the switch.",
        "The port number is on the wall plate; include it in the request.",
    ),
    "Printer says paper jam but none": (
        "Cleared a scrap of paper from the rear tray.",
        "Open the rear door too; small scraps hide there.",
    ),
    "Cannot print from my laptop": (
        "Re-added the printer to the laptop.",
        "Add printers from the Software Center's printer list.",
    ),
    "Copier prints streaks": ("The copier vendor cleaned the drum.", "Streaks are a vendor call; we place it for you."),
    "Printer out of toner": ("Replaced the toner cartridge.", "Spare toner is in the front office supply closet."),
    "Color printer printing blank pages": (
        "Removed the tape from the new cartridges and ran a cleaning cycle.",
        "Pull the orange tape off new cartridges before installing them.",
    ),
    "Projector will not turn on": (
        "Replaced the projector lamp.",
        "If the lamp light blinks, turn it off for ten minutes, then try again.",
    ),
    "No sound from the smart board": (
        "Selected the board's speakers as the audio output.",
        "Check the volume on the board and on the computer.",
    ),
    "Document camera not showing": (
        "Selected the right input on the display.",
        "Press Input or Source on the remote until the camera shows.",
    ),
    "Interactive board touch is off": (
        "Calibrated the board's touch.",
        "Run Calibrate from the board's menu when the touch is off.",
    ),
    "Microphone for assembly not working": (
        "Replaced the microphone batteries and paired it to the receiver.",
        "Keep spare AA batteries with the microphone.",
    ),
    "HDMI cable not detected": (
        "Replaced the HDMI cable.",
        "Seat both ends firmly and choose the HDMI input on the display.",
    ),
    "Classroom phone has no dial tone": (
        "Reset the handset and re-registered the line.",
        "Unplug the phone for ten seconds before reporting it.",
    ),
    "Voicemail password reset": ("Reset the voicemail code.", "The default code is your extension; change it after."),
    "Intercom not reaching my room": (
        "Replaced the room's intercom speaker.",
        "Tell the office which rooms did not hear the announcement.",
    ),
    "Phone shows wrong extension": (
        "Assigned the right extension to the phone.",
        "Say the room number and the extension you expect in the request.",
    ),
}
