namespace OpenWard.DemoData.Vocabulary;

/// <summary>
/// Illustrative name lists: common given and family names of people living in England, of many
/// origins, including accented and hyphenated forms so that search, sorting and display get exercised.
/// No list is drawn from real patients; any resemblance to a real person is coincidence.
/// </summary>
internal static class Names
{
    public static readonly string[] FemaleGiven =
    [
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
        "Grace", "Freya", "Florence", "Evie", "Poppy", "Charlotte", "Zoë", "Chloé", "Renée", "Aisha",
        "Fatima", "Maryam", "Zainab", "Priya", "Ananya", "Harpreet", "Sophie", "Emily", "Jessica",
        "Hannah", "Margaret", "Patricia", "Susan", "Elizabeth", "Dorothy", "Joan", "Siobhán", "Niamh",
        "Aoife", "Catrin", "Seren", "Eilidh", "Amara", "Chiamaka", "Ifeoma", "Abena", "Mei", "Xin",
        "Agnieszka", "Zofia", "Maria", "Joanne", "Sarah", "Helen", "Nadia", "Leyla", "Inês", "Ana",
    ];

    public static readonly string[] MaleGiven =
    [
        "Oliver", "George", "Noah", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Archie", "Jack",
        "Thomas", "James", "William", "Henry", "Jacob", "Alfie", "Seán", "Ciarán", "Rhys", "Dafydd",
        "Callum", "Hamish", "Mohammed", "Ibrahim", "Yusuf", "Omar", "Arjun", "Rohan", "Gurpreet",
        "Kwame", "Chidi", "Tunde", "Kofi", "Wei", "Jun", "Piotr", "Tomasz", "Andrei", "Mateusz",
        "David", "John", "Robert", "Michael", "Peter", "Paul", "Stephen", "Kevin", "Gareth", "Darren",
        "Mark", "Ian", "Brian", "Dominic", "José", "João", "Zoltán", "Emre", "René",
    ];

    public static readonly string[] Family =
    [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
        "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
        "Green", "Hall", "Lewis", "Harris", "Clarke", "Jackson", "Wood", "Turner", "Martin", "Cooper",
        "Hill", "Ward", "Morris", "Moore", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
        "Scott", "Phillips", "Watson", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell",
        "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller",
        "O'Brien", "O'Connor", "McDonald", "MacLeod", "Ó Briain", "Patel", "Khan", "Ali", "Ahmed",
        "Begum", "Hussain", "Shah", "Singh", "Kaur", "Sharma", "Gupta", "Chowdhury", "Rahman", "Okafor",
        "Adeyemi", "Mensah", "Okonkwo", "Boateng", "Chen", "Wang", "Li", "Nguyen", "Kowalski", "Nowak",
        "Kowalczyk", "Popescu", "Yılmaz", "Çelik", "Müller", "Núñez", "Sørensen", "Lefèvre", "Da Silva",
        "Smith-Jones", "Ahmed-Clarke", "Mensah-Bonsu", "Fox-Taylor", "Patel-Hughes", "Lloyd-Evans",
    ];
}
