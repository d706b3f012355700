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
